//! The keys access tokens are signed with under `AUTHDESK_TOKEN_SIGNING=eddsa`, one row per
//! generation; what they mean is `auth::signing`'s.

use chrono::{DateTime, Utc};

use super::audit::record;
use super::sql::{args, Row};
use super::{AuditEvent, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeyRecord {
    /// The JWK thumbprint of the public key: the `kid` of every token it signs.
    pub kid: String,
    /// 1 for the first key, one more for each rotation: unique, so two rotations cannot both win.
    pub generation: i64,
    pub algorithm: String,
    /// The JWK's `x` (base64url).
    pub public_key: String,
    /// Sealed; only `auth::signing` opens it.
    pub private_key: String,
    pub created_at: DateTime<Utc>,
    /// When it starts signing (and its predecessor stops).
    pub activates_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "kid, generation, algorithm, public_key, private_key, created_at, activates_at"
    };
}

fn key(row: &Row) -> StoreResult<SigningKeyRecord> {
    Ok(SigningKeyRecord {
        kid: row.text(0)?,
        generation: row.int(1)?,
        algorithm: row.text(2)?,
        public_key: row.text(3)?,
        private_key: row.text(4)?,
        created_at: row.time(5)?,
        activates_at: row.time(6)?,
    })
}

impl Store {
    /// Every key, oldest generation first.
    pub async fn signing_keys(&self) -> StoreResult<Vec<SigningKeyRecord>> {
        const SQL: &str = concat!("SELECT ", columns!(), " FROM signing_keys ORDER BY generation");
        self.query(SQL, vec![], key).await
    }

    /// Adds `new` (and records `audit`, in the same transaction) unless its generation is taken
    /// already — another instance or rotation got there first —, then `false`.
    pub async fn add_signing_key(&self, new: &SigningKeyRecord, audit: Option<&AuditEvent>) -> StoreResult<bool> {
        let (new, audit) = (new.clone(), audit.cloned());
        self.transaction(move |tx| {
            Box::pin(async move {
                const SQL: &str = concat!(
                    "INSERT INTO signing_keys (",
                    columns!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"
                );
                let params = args![
                    new.kid,
                    new.generation,
                    new.algorithm,
                    new.public_key,
                    new.private_key,
                    new.created_at,
                    new.activates_at
                ];
                if tx.execute(SQL, params).await? == 0 {
                    return Ok(false);
                }
                if let Some(audit) = &audit {
                    record(tx, audit).await?;
                }
                Ok(true)
            })
        })
        .await
    }

    /// Deletes the keys whose successor started signing before `retired_before`: every token they
    /// signed has expired.
    pub async fn prune_signing_keys(&self, retired_before: DateTime<Utc>) -> StoreResult<u64> {
        let sql = "DELETE FROM signing_keys WHERE EXISTS (SELECT 1 FROM signing_keys AS later
                   WHERE later.generation > signing_keys.generation AND later.activates_at < $1)";
        self.execute(sql, args![retired_before]).await
    }
}
