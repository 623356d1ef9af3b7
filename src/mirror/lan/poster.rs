//! How readers find the server: the addresses of this machine on the LAN, each as a URL, a
//! QR code drawn in the terminal, and a printable A4 poster (海报) with the site's title, the
//! address and the QR code as inline SVG. Serving is elsewhere; this only draws.

use std::net::{IpAddr, SocketAddr};

use qrcode::render::{svg, unicode::Dense1x2};
use qrcode::{EcLevel, QrCode};

use crate::html::escape;

/// The URLs a phone on the LAN can open for a server listening on `listen`: one per address of
/// this machine that answers there. Loopback and link-local addresses are left out (a phone
/// cannot reach the first, and the second needs a zone no phone types); private networks'
/// addresses come first, since that is where the centre's Wi-Fi is.
pub(crate) fn lan_urls(listen: SocketAddr) -> Vec<String> {
    let ip = listen.ip();
    let mut addresses: Vec<IpAddr> = if ip.is_unspecified() {
        if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .map(|interface| interface.ip())
            // `0.0.0.0` takes IPv4 only; `::` may take both, depending on the system.
            .filter(|a| ip.is_ipv6() || a.is_ipv4())
            .collect()
    } else {
        vec![ip]
    };
    addresses.retain(|a| reachable_from_lan(*a));
    addresses.sort_by_key(|a| (!is_private(*a), a.is_ipv6(), *a));
    addresses.dedup();
    addresses
        .into_iter()
        .map(|a| url(SocketAddr::new(a, listen.port())))
        .collect()
}

pub(crate) fn url(addr: SocketAddr) -> String {
    match addr.port() {
        80 => match addr.ip() {
            IpAddr::V4(v4) => format!("http://{v4}/"),
            IpAddr::V6(v6) => format!("http://[{v6}]/"),
        },
        _ => format!("http://{addr}/"),
    }
}

fn reachable_from_lan(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => !v4.is_loopback() && !v4.is_link_local() && !v4.is_unspecified(),
        IpAddr::V6(v6) => {
            !v6.is_loopback() && !v6.is_unspecified() && (v6.segments()[0] & 0xffc0) != 0xfe80
        }
    }
}

fn is_private(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => v4.is_private(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

fn code(url: &str) -> Option<QrCode> {
    // Level M survives a smudged or creased printout and keeps short URLs at 25×25 modules.
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()
}

/// The QR code for `url` in block characters, two modules per character cell. Drawn light on
/// dark (the modules as spaces, the background as blocks), which is what a dark terminal
/// needs to show dark modules on a light ground with the quiet zone around them.
pub(crate) fn terminal_qr(url: &str) -> Option<String> {
    let image = code(url)?
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build();
    Some(image)
}

/// The QR code for `url` as an SVG element, dark on white, with its quiet zone.
pub(crate) fn svg_qr(url: &str) -> Option<String> {
    let image = code(url)?
        .render::<svg::Color<'_>>()
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .module_dimensions(8, 8)
        .quiet_zone(true)
        .build();
    // The renderer starts with an XML declaration, which does not belong inside HTML.
    let start = image.find("<svg")?;
    Some(image[start..].to_owned())
}

/// A printable page with one A4 poster per address.
pub(crate) fn poster(title: &str, urls: &[String]) -> String {
    let title = escape(title);
    let mut sheets = String::new();
    for url in urls {
        let qr = svg_qr(url).unwrap_or_default();
        let shown = escape(url);
        sheets.push_str(&format!(
            r#"<section class="sheet">
<h1>{title}</h1>
<p class="lead">用手机扫码，免费阅读本馆学习资料</p>
<div class="qr" role="img" aria-label="{shown}">{qr}</div>
<p class="address">{shown}</p>
<ol>
<li>手机连接本馆无线网络（名称：<span class="blank"></span>）</li>
<li>打开相机或微信“扫一扫”，对准上方二维码</li>
<li>扫不出来时，在浏览器地址栏输入上面的地址</li>
</ol>
<p class="note">无需流量，不用下载应用，不收集个人信息。</p>
</section>
"#
        ));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · 海报</title>
<style>
@page {{ size: A4 portrait; margin: 15mm; }}
body {{ margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; background: #fff; }}
.sheet {{ max-width: 180mm; margin: 0 auto; padding: 10mm 0; text-align: center; break-after: page; page-break-after: always; }}
.sheet:last-child {{ break-after: auto; page-break-after: auto; }}
h1 {{ font-size: 28pt; margin: 0 0 4mm; }}
.lead {{ font-size: 18pt; margin: 0 0 8mm; }}
.qr svg {{ width: 120mm; height: 120mm; }}
.address {{ font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 22pt; font-weight: bold; margin: 4mm 0 8mm; word-break: break-all; }}
ol {{ text-align: left; font-size: 15pt; line-height: 1.8; margin: 0 auto; max-width: 150mm; }}
.blank {{ display: inline-block; min-width: 45mm; border-bottom: 1px solid #000; }}
.note {{ font-size: 12pt; color: #333; margin-top: 8mm; }}
@media print {{ .sheet {{ padding: 0; }} }}
</style>
</head>
<body>
{sheets}</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a terminal QR back into modules (light on dark: a block is background).
    fn decode_terminal(text: &str) -> String {
        let rows: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
        let width = rows[0].len();
        let height = rows.len() * 2;
        let dark = |x: usize, y: usize| {
            let c = rows[y / 2][x];
            let top_light = matches!(c, '█' | '▀');
            let bottom_light = matches!(c, '█' | '▄');
            !(if y.is_multiple_of(2) {
                top_light
            } else {
                bottom_light
            })
        };
        // Scale each module up so the detector sees clean edges.
        let scale = 4;
        let image =
            rqrr::PreparedImage::prepare_from_greyscale(width * scale, height * scale, |x, y| {
                if dark(x / scale, y / scale) { 0 } else { 255 }
            });
        let mut image = image;
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one code");
        grids[0].decode().expect("decodes").1
    }

    #[test]
    fn the_terminal_code_reads_back_as_the_url() {
        let url = "http://192.168.1.23:8080/";
        let text = terminal_qr(url).expect("drawn");
        assert!(text.contains('█'));
        assert_eq!(decode_terminal(&text), url);
    }

    #[test]
    fn addresses_for_phones_leave_out_loopback_and_link_local() {
        assert!(!reachable_from_lan("127.0.0.1".parse().expect("ip")));
        assert!(!reachable_from_lan("169.254.3.4".parse().expect("ip")));
        assert!(!reachable_from_lan("fe80::1".parse().expect("ip")));
        assert!(reachable_from_lan("192.168.0.8".parse().expect("ip")));
        assert!(reachable_from_lan("2001:db8::8".parse().expect("ip")));
        let one: SocketAddr = "192.168.0.8:8080".parse().expect("addr");
        assert_eq!(lan_urls(one), ["http://192.168.0.8:8080/"]);
        let everywhere: SocketAddr = "0.0.0.0:8080".parse().expect("addr");
        for url in lan_urls(everywhere) {
            assert!(!url.contains("127.0.0.1") && !url.contains('['), "{url}");
        }
        assert_eq!(
            url("[2001:db8::8]:80".parse().expect("addr")),
            "http://[2001:db8::8]/"
        );
    }

    #[test]
    fn the_poster_escapes_the_title_and_holds_one_sheet_per_address() {
        let urls = [
            "http://10.0.0.2:8080/".to_owned(),
            "http://192.168.1.2:8080/".to_owned(),
        ];
        let page = poster("工会<学习>", &urls);
        assert!(page.contains("工会&lt;学习&gt;"));
        assert_eq!(page.matches("<section class=\"sheet\">").count(), 2);
        assert_eq!(page.matches("<svg").count(), 2);
        assert!(!page.contains("<?xml"));
        assert!(page.contains("size: A4"));
    }
}
