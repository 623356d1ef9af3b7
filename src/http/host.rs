//! Which `Host` and `Origin` a server of ours answers: the names of the address it listens on,
//! spelt exactly, and nothing that DNS could point at it later (DNS rebinding). A page on
//! another site can make a browser send requests to `127.attacker.example`, which the attacker's
//! DNS answers with 127.0.0.1; refusing every name we did not give ourselves stops that.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The host names and port a server accepts in `Host` and `Origin`.
#[derive(Debug, Clone)]
pub(crate) struct HostPolicy {
    port: u16,
    bind: IpAddr,
    names: Names,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    /// Only names that no DNS answer can change (see [`HostPolicy::new`]).
    Exact,
    /// Any well-formed name or address, on any port (see [`HostPolicy::any_name`]).
    Any,
}

impl HostPolicy {
    /// For a server listening on `bind:port`. It always answers to `localhost`, `127.0.0.1` and
    /// `[::1]` (names no DNS answer can change), and to the address it was bound to; bound to
    /// every interface (`0.0.0.0`, `::`), to any IP address written out as one, since a
    /// literal address cannot be rebound either. No other name is accepted.
    pub(crate) fn new(bind: IpAddr, port: u16) -> HostPolicy {
        HostPolicy {
            port,
            bind,
            names: Names::Exact,
        }
    }

    /// For a server of public, read-only files that people reach by whatever name their
    /// network gives it (an IP address, a router's `shuwu.lan`, an mDNS `pc.local`, a port
    /// forwarded to another): any syntactically valid host name or literal address, with any
    /// port. DNS rebinding can then let a foreign page read what the server serves, which is
    /// what it serves to everyone anyway; it has no state, no cookies and nothing to change.
    pub(crate) fn any_name() -> HostPolicy {
        HostPolicy {
            port: 0,
            bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            names: Names::Any,
        }
    }

    /// Whether a `Host` header value (or a URL's authority) names this server: one of the
    /// accepted names, with no port or with the port it listens on, and nothing else
    /// (no user info, no trailing dot, no second port, no other spelling of an address).
    pub(crate) fn allows_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_authority(host) else {
            return false;
        };
        if self.names == Names::Any {
            return self.allows_name(name);
        }
        if port.is_some_and(|p| p != self.port.to_string()) {
            return false;
        }
        self.allows_name(name)
    }

    /// Whether an `Origin` header names a page served by this server: `http://` and an
    /// accepted host with this server's port (a browser leaves the port out only for 80).
    pub(crate) fn allows_origin(&self, origin: &str) -> bool {
        let Some(authority) = origin.strip_prefix("http://") else {
            return false;
        };
        let Some((name, port)) = split_authority(authority) else {
            return false;
        };
        let port_matches = match port {
            _ if self.names == Names::Any => true,
            Some(p) => p == self.port.to_string(),
            None => self.port == 80,
        };
        port_matches && self.allows_name(name)
    }

    fn allows_name(&self, name: &str) -> bool {
        if self.names == Names::Any {
            return literal_address(name).is_some() || is_dns_name(name);
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Some(address) = literal_address(name) else {
            return false;
        };
        if address.is_unspecified() {
            return false; // "every interface" is where to listen, not whom to ask
        }
        address == IpAddr::V4(Ipv4Addr::LOCALHOST)
            || address == IpAddr::V6(Ipv6Addr::LOCALHOST)
            || address == self.bind
            || self.bind.is_unspecified()
    }
}

/// A host name as DNS spells it: dot-separated labels of ASCII letters, digits, `-` and `_`
/// (seen in local networks' names), none empty, none starting or ending with `-`, at most 253
/// characters. A trailing dot (the absolute form) is allowed.
fn is_dns_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Splits `name[:port]` or `[v6][:port]`; `None` when it is not that shape. The port, when
/// present, is only digits.
fn split_authority(authority: &str) -> Option<(&str, Option<&str>)> {
    let (name, rest) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        authority.split_at(end)
    } else {
        match authority.find(':') {
            Some(at) => authority.split_at(at),
            None => (authority, ""),
        }
    };
    let port = match rest {
        "" => None,
        _ => {
            let digits = rest.strip_prefix(':')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(digits)
        }
    };
    (!name.is_empty()).then_some((name, port))
}

/// An IP address written the way a browser writes it in a URL after normalising it: a dotted
/// quad of decimal numbers without leading zeros, or a compressed IPv6 address in brackets.
/// `127.1`, `0x7f.0.0.1`, `[0:0::1]` or `[::1%25lo]` are refused rather than interpreted.
fn literal_address(name: &str) -> Option<IpAddr> {
    if let Some(inner) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        let v6: Ipv6Addr = inner.parse().ok()?;
        return (v6.to_string() == inner).then_some(IpAddr::V6(v6));
    }
    let v4: Ipv4Addr = name.parse().ok()?;
    (v4.to_string() == name).then_some(IpAddr::V4(v4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> HostPolicy {
        HostPolicy::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 1111)
    }

    #[test]
    fn loopback_names_with_or_without_the_port() {
        let policy = loopback();
        for ok in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(policy.allows_host(ok), "{ok}");
        }
    }

    #[test]
    fn rebindable_or_odd_spellings_are_refused() {
        let policy = loopback();
        for bad in [
            "",
            "127.attacker.example",
            "127.0.0.1.nip.io",
            "127.0.0.1.nip.io:1111",
            "localhost.",
            "localhost.:1111",
            "127.0.0.1.",
            "app.localhost",
            "localhost.evil.example",
            "evil.example",
            "localhost:2222",
            "127.0.0.1:80",
            "localhost:",
            "localhost:1111:1111",
            "localhost:+1111",
            "localhost:01111",
            "user@localhost",
            "localhost@evil.example",
            "evil.example@127.0.0.1:1111",
            "localhost:1111@evil.example",
            "127.1",
            "127.0.0.2",
            "0x7f.0.0.1",
            "2130706433",
            "0177.0.0.1",
            "[::1",
            "::1",
            "[0:0:0:0:0:0:0:1]",
            "[::ffff:127.0.0.1]",
            "[::1%25lo]",
            "[::1]x",
            "[::1]:2222",
            "192.168.1.5:1111",
            "0.0.0.0",
            "localhost\t",
            " localhost",
        ] {
            assert!(!policy.allows_host(bad), "{bad:?}");
        }
    }

    #[test]
    fn bound_to_the_network_it_adds_literal_addresses_only() {
        let one = HostPolicy::new("192.168.1.5".parse().expect("ip"), 1111);
        assert!(one.allows_host("192.168.1.5:1111"));
        assert!(one.allows_host("localhost:1111"));
        assert!(!one.allows_host("192.168.1.6:1111"));
        assert!(!one.allows_host("pc.example:1111"));
        let all = HostPolicy::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 1111);
        for ok in ["192.168.1.5:1111", "10.0.0.2", "[fe80::1]:1111"] {
            assert!(all.allows_host(ok), "{ok}");
        }
        for bad in ["pc.example:1111", "192.168.1.5.nip.io", "0.0.0.0:1111"] {
            assert!(!all.allows_host(bad), "{bad}");
        }
    }

    #[test]
    fn any_name_takes_every_well_formed_name_and_nothing_else() {
        let any = HostPolicy::any_name();
        for ok in [
            "192.168.1.5:8080",
            "192.168.1.5",
            "shuwu.lan",
            "pc.local:8080",
            "localhost",
            "[fe80::1]:80",
            "library_pc.lan.",
            "Shuwu-1.Example",
        ] {
            assert!(any.allows_host(ok), "{ok}");
        }
        for bad in [
            "",
            "user@shuwu.lan",
            "shuwu.lan:8080:8080",
            "shuwu..lan",
            "-shuwu.lan",
            "shuwu lan",
            "shuwu.lan/evil",
            "工会.lan",
            "[::1",
            "shuwu.lan:",
            "shuwu.lan:x",
        ] {
            assert!(!any.allows_host(bad), "{bad:?}");
        }
    }

    #[test]
    fn origins_must_be_pages_of_this_server() {
        let policy = loopback();
        for ok in [
            "http://localhost:1111",
            "http://127.0.0.1:1111",
            "http://[::1]:1111",
        ] {
            assert!(policy.allows_origin(ok), "{ok}");
        }
        for bad in [
            "null",
            "http://evil.example:1111",
            "http://localhost:9999",
            "http://localhost",
            "https://localhost:1111",
            "http://127.attacker.example:1111",
            "http://localhost:1111/",
            "http://user@localhost:1111",
        ] {
            assert!(!policy.allows_origin(bad), "{bad}");
        }
        assert!(
            HostPolicy::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 80).allows_origin("http://localhost")
        );
    }
}
