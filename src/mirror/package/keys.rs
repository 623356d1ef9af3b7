//! Signing keys in minisign's format (through jedisct1's `minisign` crate), so that anyone can
//! check a package with the standard `minisign -V` tool. The secret key is password-protected
//! unless the caller asks otherwise; the password comes from `GONGDU_KEY_PASSWORD` or the
//! terminal.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};

use super::{PackageError, io_error};

pub(crate) const SECRET_FILE: &str = "gongdu.key";
pub(crate) const PUBLIC_FILE: &str = "gongdu.pub";
const PASSWORD_VAR: &str = "GONGDU_KEY_PASSWORD";

/// Whether the secret key is stored encrypted with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    Password,
    /// For automation that has nowhere to keep a password; keep the file itself secret.
    Unencrypted,
}

fn key_error(path: &Path, e: impl std::fmt::Display) -> PackageError {
    PackageError::Key {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn password_from_env() -> Option<String> {
    std::env::var(PASSWORD_VAR).ok()
}

/// Writes `DIR/gongdu.key` and `DIR/gongdu.pub`; never replaces an existing key.
pub fn generate_keys(
    dir: &Path,
    protection: Protection,
) -> Result<(PathBuf, PathBuf), PackageError> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let secret = dir.join(SECRET_FILE);
    let public = dir.join(PUBLIC_FILE);
    for path in [&secret, &public] {
        if path.exists() {
            return Err(key_error(
                path,
                "a key is already there; move it away first (a new key cannot check old packages)",
            ));
        }
    }
    let pair = match protection {
        Protection::Unencrypted => KeyPair::generate_unencrypted_keypair(),
        // With no password in the environment, the crate asks on the terminal (twice).
        Protection::Password => KeyPair::generate_encrypted_keypair(password_from_env()),
    }
    .map_err(|e| key_error(&secret, e))?;
    let sk_text = pair
        .sk
        .to_box(None)
        .map_err(|e| key_error(&secret, e))?
        .into_string();
    let pk_text = pair
        .pk
        .to_box()
        .map_err(|e| key_error(&public, e))?
        .into_string();
    write_secret(&secret, sk_text.as_bytes())?;
    std::fs::write(&public, pk_text).map_err(io_error(&public))?;
    Ok((secret, public))
}

#[cfg(unix)]
fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), PackageError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::File::options()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io_error(path))?;
    file.write_all(bytes).map_err(io_error(path))
}

#[cfg(not(unix))]
fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), PackageError> {
    std::fs::write(path, bytes).map_err(io_error(path))
}

/// Loads a secret key, asking for its password (environment, then terminal) if it has one.
pub(crate) fn load_secret(path: &Path) -> Result<SecretKey, PackageError> {
    let text = std::fs::read_to_string(path).map_err(io_error(path))?;
    let sk_box = SecretKeyBox::from_string(&text).map_err(|e| key_error(path, e))?;
    if let Ok(sk) = sk_box.clone().into_unencrypted_secret_key() {
        return Ok(sk);
    }
    sk_box.into_secret_key(password_from_env()).map_err(|e| {
        key_error(
            path,
            format!("{e} (set {PASSWORD_VAR} or type the password)"),
        )
    })
}

pub(crate) fn load_public(path: &Path) -> Result<PublicKey, PackageError> {
    let text = std::fs::read_to_string(path).map_err(io_error(path))?;
    PublicKeyBox::from_string(&text)
        .and_then(PublicKeyBox::into_public_key)
        .map_err(|e| key_error(path, format!("not a minisign public key: {e}")))
}

/// A `.minisig` file's text for `data`.
pub(crate) fn sign(
    sk: &SecretKey,
    data: &[u8],
    trusted_comment: &str,
) -> Result<String, PackageError> {
    let pk = PublicKey::from_secret_key(sk).ok();
    minisign::sign(
        pk.as_ref(),
        sk,
        Cursor::new(data),
        Some(trusted_comment),
        Some("signature from a gongdu mirror key"),
    )
    .map(SignatureBox::into_string)
    .map_err(|e| PackageError::Signature(format!("cannot sign: {e}")))
}

/// Checks a `.minisig` text over `data`; returns the trusted comment it vouches for.
pub(crate) fn check(pk: &PublicKey, data: &[u8], signature: &str) -> Result<String, String> {
    let sig = SignatureBox::from_string(signature).map_err(|e| e.to_string())?;
    minisign::verify(pk, &sig, Cursor::new(data), true, false, false).map_err(|e| e.to_string())?;
    sig.trusted_comment().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_checks_with_an_unencrypted_key_and_rejects_another_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (sk, pk) = generate_keys(dir.path(), Protection::Unencrypted).expect("keys");
        let sk = load_secret(&sk).expect("secret");
        let pk = load_public(&pk).expect("public");
        let sig = sign(&sk, b"data", "gongdu-mirror title=t version=v").expect("sign");
        assert_eq!(
            check(&pk, b"data", &sig).as_deref(),
            Ok("gongdu-mirror title=t version=v")
        );
        assert!(check(&pk, b"datA", &sig).is_err());
        let other = tempfile::tempdir().expect("tempdir");
        let (_, pk2) = generate_keys(other.path(), Protection::Unencrypted).expect("keys");
        assert!(check(&load_public(&pk2).expect("pk"), b"data", &sig).is_err());
        assert!(
            generate_keys(dir.path(), Protection::Unencrypted).is_err(),
            "no overwrite"
        );
    }
}
