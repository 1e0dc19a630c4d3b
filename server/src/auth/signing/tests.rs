use super::*;

fn secret(c: char) -> Secret {
    Secret::new(c.to_string().repeat(32)).unwrap()
}

#[test]
fn private_keys_open_only_with_their_secret_and_kid() {
    let key = new_key(&secret('a'), 1, store::now()).unwrap();
    assert!(!key.private_key.contains(&key.public_key));
    let plain = open(&secret('a'), &key.kid, &key.private_key).unwrap();
    assert!(Ed25519KeyPair::from_pkcs8(&plain).is_ok());
    assert!(matches!(open(&secret('b'), &key.kid, &key.private_key), Err(SigningError::WrongSecret(_))));
    // Sealed for one kid, a private key cannot be passed off as another's.
    assert!(open(&secret('a'), "another-kid", &key.private_key).is_err());
    assert!(open(&secret('a'), &key.kid, "v1.AAAA.AAAA").is_err());
}

#[test]
fn the_kid_is_the_rfc_7638_thumbprint() {
    // RFC 8037, appendix A.3: the thumbprint of its example key.
    assert_eq!(
        thumbprint("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
}

#[test]
fn a_key_is_next_then_current_then_previous_until_its_tokens_expire() {
    let t0 = store::now();
    let ttl = Duration::from_secs(3600);
    let first = new_key(&secret('a'), 1, t0).unwrap();
    let second = new_key(&secret('a'), 2, t0 + TimeDelta::seconds(660)).unwrap();
    let keys = [first, second];
    let states = |at: DateTime<Utc>| key_states(&keys, at, ttl).into_iter().map(|(_, s)| s).collect::<Vec<_>>();
    assert_eq!(states(t0 + TimeDelta::seconds(10)), [KeyState::Current, KeyState::Next]);
    let until = t0 + TimeDelta::seconds(660 + 3600) + CLOCK_SKEW;
    assert_eq!(states(t0 + TimeDelta::seconds(700)), [KeyState::Previous(until), KeyState::Current]);
    assert_eq!(states(until), [KeyState::Current]);
    assert!(retired_keys_cutoff(until, ttl) == t0 + TimeDelta::seconds(660));
}
