//! What a scrape shows: every label value from a fixed set, so no outsider can add a series.

use crate::common;

use common::{spawn_app, Db};
use reqwest::Method;

both_backends!(invented_methods_add_no_series);

/// `ZZZ<random> /api/health` with fresh names, without signing in: each is answered 405 and all of
/// them are counted under one `other` method, never under the names sent.
async fn invented_methods_add_no_series(db: Db) {
    let app = spawn_app(db).await;
    let invented: Vec<String> = (0..20).map(|i| format!("ZZZ{}{i}", uuid::Uuid::new_v4().simple())).collect();
    for name in &invented {
        let reply = app.request(Method::from_bytes(name.as_bytes()).unwrap(), "/api/health", None, None).await;
        reply.assert_status(405);
    }
    let text = authdesk_server::metrics::render(Default::default());
    for name in &invented {
        assert!(!text.contains(name.as_str()), "{name} became a label:\n{text}");
    }
    let other = r#"method="other",route="/api/health",status="405""#;
    assert!(text.contains(other), "no {other} in\n{text}");
}
