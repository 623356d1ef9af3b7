"""Writes the default theme's templates for the probe: target/templates/v1 as gongdu hands
them to tera 1 (UI strings written in, as src/theme/mod.rs `fill_strings` does) and
target/templates/v2 the same rewritten for tera 2's syntax (renamed filters and tests,
keyword arguments for tests, a list comprehension for the removed `filter` filter; the two
places tera 2 cannot parse as written, the 404 page's JSON and the print head's CSS escapes,
simplified: neither is on the pages measured)."""
import html, os, re, shutil
import yaml

here = os.path.dirname(os.path.abspath(__file__))
theme = os.path.join(here, '..', '..', 'themes', 'default')
strings = yaml.safe_load(open(os.path.join(theme, 'i18n', 'zh-CN.yaml'), encoding='utf-8'))


def fill(text):
    def one(m):
        value = strings.get(m.group(1))
        if not isinstance(value, str):
            return m.group(0)
        escaped = html.escape(value, quote=True).replace('&#x27;', '&#39;')
        return m.group(0) if any(s in escaped for s in ('{{', '{%', '{#')) else escaped
    return re.sub(r'\{\{ t\.([A-Za-z0-9_]+) \}\}', one, text)


def for_tera2(text):
    text = text.replace('trim_end_matches(pat=', 'trim_end(pat=')
    text = re.sub(r'is starting_with\(([^)]*)\)', r'is starting_with(pat=\1)', text)
    text = re.sub(r'is containing\(("[^"]*"|\'[^\']*\')\)', r'is containing(pat=\1)', text)
    text = text.replace('site.taxonomies | filter(attribute="name", value="topics")',
                        '[x for x in site.taxonomies if x.name == "topics"]')
    text = text.replace('| json_encode() | safe', '| safe')
    text = re.sub(r'\{\{ site\.title \| replace\(from="\\".*?\| safe \}\}', '{{ site.title | safe }}', text)
    return text


for version, convert in (('v1', lambda t: t), ('v2', for_tera2)):
    out = os.path.join(here, 'target', 'templates', version)
    shutil.rmtree(out, ignore_errors=True)
    source = os.path.join(theme, 'templates')
    for root, _, files in os.walk(source):
        for name in files:
            path = os.path.join(root, name)
            target = os.path.join(out, os.path.relpath(path, source))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(path, encoding='utf-8') as f:
                text = convert(fill(f.read()))
            with open(target, 'w', encoding='utf-8') as f:
                f.write(text)
print('templates written under', os.path.join(here, 'target', 'templates'))
