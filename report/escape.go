package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Account data (names, tags, descriptions, profile names, Sids, policy
// text, messages built from them) and custom check metadata may carry
// control characters and markup. These are the escaping functions of each
// medium; every renderer passes account data through one of them.
//
// The shared rule, escapeControls, writes every character that could change
// how a viewer displays text, rather than being displayed, as a visible
// escape: "\n", "\r" and "\t" for line breaks and tabs, "\x1b" for ESC,
// "\u202e" for RIGHT-TO-LEFT OVERRIDE, "\xff" for a byte that is not
// UTF-8. A backslash is not doubled, so a name that holds the four
// characters `\x1b` reads the same as one holding ESC; both are inert, and
// the JSON report keeps the exact value.

// escapeControls returns s with every invisible or display-changing
// character (see isControl) and every byte that is not valid UTF-8 written
// as a visible escape. It is idempotent and the identity on ordinary text.
func escapeControls(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r) && r > 0xFFFF:
			fmt.Fprintf(&b, `\U%08x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeAcross reports the visible escape that escapeControls writes ("\n",
// "\r", "\t", "\xHH", "\uHHHH", "\UHHHHHHHH") of which byte offset cut
// falls strictly inside, and its bounds: cutting text there would leave
// "\u20" on one line and "2e" on the next, which read as other text.
func escapeAcross(s string, cut int) (start, end int, ok bool) {
	if cut <= 0 || cut >= len(s) {
		return 0, 0, false
	}
	for i := max(0, cut-9); i < cut; i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			continue
		}
		n := 0
		switch s[i+1] {
		case 'n', 'r', 't':
			n = 2
		case 'x':
			n = 4
		case 'u':
			n = 6
		case 'U':
			n = 10
		}
		if n == 0 || i+n > len(s) || i+n <= cut {
			continue
		}
		hex := true
		for j := i + 2; j < i+n; j++ {
			c := s[j]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				hex = false
				break
			}
		}
		if hex {
			return i, i + n, true
		}
	}
	return 0, 0, false
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || isControl(r) {
			return true
		}
		i += size
	}
	return false
}

// isControl reports the characters no renderer writes raw: C0 controls
// (tab and newline included: inside a cell or a message they would break
// the layout), DEL, C1 controls, the bidirectional formatting characters
// (U+061C, U+200E/U+200F, U+202A..U+202E, U+2066..U+2069), zero-width and
// other invisible format characters (U+200B..U+200D, U+2060..U+2064,
// U+FEFF, U+FFF9..U+FFFB, the tag characters U+E0000..U+E007F), the line
// and paragraph separators U+2028/U+2029, and the characters XML 1.0
// forbids (U+FFFE, U+FFFF; surrogates cannot occur in valid UTF-8).
func isControl(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e,
		r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0xfeff, r >= 0xfff9 && r <= 0xfffb, r == 0xfffe, r == 0xffff:
		return true
	case r >= 0xe0000 && r <= 0xe007f:
		return true
	case r >= 0xd800 && r <= 0xdfff:
		return true
	}
	return false
}

// termText makes account data safe for a terminal: controls escaped, so the
// only escape sequences in the table are the colours the renderer adds.
func termText(s string) string { return escapeControls(s) }

// TerminalText is termText for lockdown's other terminal output (stderr
// lines, `checks`, `simulate`, `test`), so every terminal sees one rule.
func TerminalText(s string) string { return escapeControls(s) }

// WriteJSON writes v as indented JSON with the same escaping as the JSON
// report: no raw control, DEL, C1, bidi or invisible character, so that
// account data in lockdown's other JSON output (`checks`, `simulate`,
// `frameworks`) cannot act on a terminal or an editor either.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(jsonUnicodeEscape(buf.Bytes()))
	return err
}

// jsonUnicodeEscape rewrites encoded JSON so that no character isControl
// names appears raw: outside ASCII they can only occur inside strings, where
// \uXXXX (a surrogate pair above U+FFFF) is the same value. The data is
// unchanged for a JSON reader; the bytes hold no DEL, C1, bidi or invisible
// character for a terminal or an editor to act on (DEL, ASCII, can also
// only be inside a string). encoding/json already escapes C0 controls and
// replaces invalid UTF-8 with U+FFFD.
func jsonUnicodeEscape(data []byte) []byte {
	clean := true
	for i := 0; i < len(data); {
		if data[i] == 0x7f {
			clean = false
			break
		}
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if isControl(r) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return data
	}
	out := make([]byte, 0, len(data)+64)
	for i := 0; i < len(data); {
		if data[i] == 0x7f { // DEL, which encoding/json leaves raw
			out = append(out, `\u007f`...)
			i++
			continue
		}
		if data[i] < utf8.RuneSelf {
			out = append(out, data[i])
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case !isControl(r):
			out = append(out, data[i:i+size]...)
		case r > 0xffff:
			r -= 0x10000
			out = fmt.Appendf(out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
	}
	return out
}

// ciCommandStart reports whether a line, after optional whitespace (and
// the renderer's own colour codes), starts like a CI runner command: a
// GitHub Actions workflow command ("::error", "::add-mask::",
// "::stop-commands::"), an Azure Pipelines logging command or format
// ("##vso[", "##[group]") or a TeamCity service message ("##teamcity[").
// It returns the offset of the command's first character.
func ciCommandStart(line string) (int, bool) {
	i := 0
scan:
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == 0x1b && i+1 < len(line) && line[i+1] == '[':
			// An SGR sequence the table renderer wrote (account ESC bytes
			// are escaped long before this point).
			j := i + 2
			for j < len(line) && (line[j] == ';' || (line[j] >= '0' && line[j] <= '9')) {
				j++
			}
			if j >= len(line) || line[j] != 'm' {
				break scan
			}
			i = j + 1
		default:
			break scan
		}
	}
	rest := line[i:]
	if strings.HasPrefix(rest, "::") {
		return i, true
	}
	for _, p := range []string{"##[", "##vso[", "##teamcity["} {
		if len(rest) >= len(p) && strings.EqualFold(rest[:len(p)], p) {
			return i, true
		}
	}
	return 0, false
}

// neutraliseCommandLines makes sure no line of out starts (after optional
// whitespace) with "::", "##[", "##vso[" or "##teamcity[", which GitHub
// Actions, Azure Pipelines and TeamCity would execute as a command when the
// output is printed in a CI log. The first character of such a line is written as its visible escape
// ("\x3a" or "\x23"), or, for Markdown, backslash-escaped ("\:" renders as
// ":"). Every renderer's whole output goes through it; the renderers also
// never let account text begin a line, so this is the last line of defence.
func neutraliseCommandLines(out []byte, markdown bool) []byte {
	var b []byte // nil until a line needs changing
	start := 0
	for start <= len(out) {
		end := start
		for end < len(out) && out[end] != '\n' {
			end++
		}
		line := out[start:end]
		if at, ok := ciCommandStart(string(line)); ok {
			if b == nil {
				b = append(make([]byte, 0, len(out)+32), out[:start]...)
			}
			b = append(b, line[:at]...)
			switch {
			case markdown:
				b = append(b, '\\', line[at])
			case line[at] == ':':
				b = append(b, `\x3a`...)
			default:
				b = append(b, `\x23`...)
			}
			b = append(b, line[at+1:]...)
		} else if b != nil {
			b = append(b, line...)
		}
		if end < len(out) && b != nil {
			b = append(b, '\n')
		}
		start = end + 1
	}
	if b == nil {
		return out
	}
	return b
}

// oneLine collapses every run of white space into one space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Markdown.

// markdownEscaper backslash-escapes the characters that GFM gives meaning
// to anywhere in a line, and neutralises raw HTML and entities.
var markdownEscaper = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]",
	"|", "\\|", "~", "\\~", "!", "\\!", "#", "\\#",
	"<", "&lt;", ">", "&gt;", "&", "&amp;",
)

// zwj is U+200D ZERO WIDTH JOINER, inserted to break what GitHub would turn
// into a mention or a link; it is invisible when rendered.
const zwj = "\u200d"

// breakLinks keeps GitHub from turning text into a mention (@user,
// @org/team), an email autolink (a@b.example) or a URL autolink
// (https://..., www....): a zero-width joiner follows every "@", sits
// inside every "://" and after "www" before its dot. A backslash before "@"
// is not enough: GitHub finds mentions in the rendered text.
func breakLinks(s string) string {
	if !strings.ContainsAny(s, "@:wW") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.WriteByte(c)
		switch {
		case c == '@':
			b.WriteString(zwj)
		case c == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteString(zwj)
		case (c == 'w' || c == 'W') && i >= 2 && strings.EqualFold(s[i-2:i+1], "www") && strings.HasPrefix(s[i+1:], "."):
			b.WriteString(zwj)
		}
	}
	return b.String()
}

// escapeMarkdown makes text render literally inside a line of GitHub
// Markdown (a table cell, a heading, after other text): controls are
// escaped visibly (so a line break reads "\n" and cannot start a block or
// end a table row), GFM punctuation is backslash-escaped, "<", ">" and "&"
// become entities (no raw HTML), and mentions and autolinks are broken.
// Runs of spaces collapse to one.
func escapeMarkdown(s string) string {
	return breakLinks(markdownEscaper.Replace(oneLine(escapeControls(s))))
}

// MarkdownText is escapeMarkdown for lockdown's other Markdown output
// (`diff`): account text rendered literally inside a line or a table cell.
func MarkdownText(s string) string { return escapeMarkdown(s) }

// lineStartRE matches what would start a block (list item, heading, quote,
// thematic break, ordered list) at the beginning of a line.
var lineStartRE = regexp.MustCompile(`^([-+=]|\d+[.)])`)

// escapeParagraph is escapeMarkdown for text that starts a line, where "-",
// "+", "=" or "1." would otherwise begin a list or a heading.
func escapeParagraph(s string) string {
	s = escapeMarkdown(s)
	if m := lineStartRE.FindStringIndex(s); m != nil {
		s = s[:m[1]-1] + "\\" + s[m[1]-1:]
	}
	return s
}

// uriReference percent-encodes every byte RFC 3986 does not allow in a URI
// reference (spaces, controls, quotes, angle brackets, backticks, braces,
// non-ASCII bytes including bidi and invisible characters), so a check's
// documentation link is a valid URI and cannot hide what it points to.
func uriReference(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// markdownURL is uriReference with the parentheses that would end a
// Markdown link destination encoded too.
func markdownURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29").Replace(uriReference(u))
}

// codeSpan wraps s in a code span, using a backtick fence longer than any
// backtick run inside it. Inside a code span nothing is a mention, a link
// or HTML; controls are escaped visibly.
func codeSpan(s string) string {
	s = oneLine(escapeControls(s))
	if s == "" {
		s = "-"
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// cell makes Markdown safe inside a GFM table cell: pipes are escaped even
// inside code spans, as GFM requires.
func cell(s string) string {
	if !strings.Contains(s, "|") {
		return s
	}
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if r == '|' && prev != '\\' {
			b.WriteString("\\|")
		} else {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// codeFence returns a backtick fence longer than any backtick run in body,
// so body cannot close the block it sits in.
func codeFence(body string) string {
	longest, run := 0, 0
	for i := 0; i < len(body); i++ {
		if body[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// XML.

// xmlText makes account data safe for XML 1.0 character data and attribute
// values: every character XML forbids (and every other control) is escaped
// visibly, so the document is well-formed for any input and nothing is
// dropped. encoding/xml escapes markup characters and line breaks.
func xmlText(s string) string { return escapeControls(s) }

// clip shortens s to at most n bytes (on a rune boundary), marking the cut
// with "…".
// Clip is clip for lockdown's other output (stderr lines).
func Clip(s string, n int) string { return clip(s, n) }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
