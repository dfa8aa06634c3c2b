package report

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEscapeControls(t *testing.T) {
	for in, want := range map[string]string{
		"plain ARN arn:aws:iam::1:user/a":      "plain ARN arn:aws:iam::1:user/a",
		"日本語 ok":                               "日本語 ok",
		"\x1b[2J":                              `\x1b[2J`,
		"a\nb\rc\td":                           `a\nb\rc\td`,
		"\x00\x07\x7f":                         `\x00\x07\x7f`,
		"\u0085\u009b":                         `\u0085\u009b`,
		"\u202e\u2066\u2069\u200e\u200f\u061c": `\u202e\u2066\u2069\u200e\u200f\u061c`,
		"zero\u200bwidth\ufeff":                `zero\u200bwidth\ufeff`,
		"\ufffe\uffff":                         `\ufffe\uffff`,
		"tag\U000E0041":                        `tag\U000e0041`,
		"bad\xff\xfeutf8":                      `bad\xff\xfeutf8`,
		"line\u2028sep":                        `line\u2028sep`,
	} {
		got := escapeControls(in)
		if got != want {
			t.Errorf("escapeControls(%q) = %q, want %q", in, got, want)
		}
		if again := escapeControls(got); again != got {
			t.Errorf("escapeControls is not idempotent on %q: %q", got, again)
		}
		if needsEscape(got) {
			t.Errorf("escaped %q still needs escaping", got)
		}
	}
}

func TestJSONUnicodeEscape(t *testing.T) {
	in := map[string]string{"s": "a\u202eb\u0085c\x7fd\U000E0041e\u200dé"}
	raw, _ := json.Marshal(in)
	out := jsonUnicodeEscape(raw)
	if strings.ContainsAny(string(out), "\u202e\u0085\x7f\U000E0041\u200d") {
		t.Fatalf("raw controls left: %q", out)
	}
	if !strings.Contains(string(out), "é") {
		t.Errorf("ordinary text escaped: %q", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["s"] != in["s"] {
		t.Errorf("value changed: %q (%v)", back["s"], err)
	}
	if clean := []byte(`{"a":"plain é"}`); string(jsonUnicodeEscape(clean)) != string(clean) {
		t.Error("clean JSON rewritten")
	}
}

func TestNeutraliseCommandLines(t *testing.T) {
	for in, want := range map[string]string{
		"::error::x":                      `\x3a:error::x`,
		"ok\n  ::add-mask::s\nok":         "ok\n  \\x3a:add-mask::s\nok",
		"\t::stop-commands::t":            "\t\\x3a:stop-commands::t",
		"##vso[task.setvariable]":         `\x23#vso[task.setvariable]`,
		"##VSO[task.complete]":            `\x23#VSO[task.complete]`,
		"##[group]x":                      `\x23#[group]x`,
		"##teamcity[message]":             `\x23#teamcity[message]`,
		"\x1b[1m::error::x\x1b[0m":        "\x1b[1m\\x3a:error::x\x1b[0m",
		"## heading\n# ok\nnot ::x\na:: ": "## heading\n# ok\nnot ::x\na:: ",
	} {
		if got := string(neutraliseCommandLines([]byte(in), false)); got != want {
			t.Errorf("neutralise(%q) = %q, want %q", in, got, want)
		}
	}
	if got := string(neutraliseCommandLines([]byte("::error::x\n##[group]"), true)); got != "\\::error::x\n\\##[group]" {
		t.Errorf("markdown: %q", got)
	}
}

func TestBreakLinks(t *testing.T) {
	for in, want := range map[string]string{
		"@octocat":             "@" + zwj + "octocat",
		"a@b.example":          "a@" + zwj + "b.example",
		"https://evil.example": "https:" + zwj + "//evil.example",
		"see www.x.example":    "see www" + zwj + ".x.example",
		"plain: text www":      "plain: text www",
	} {
		if got := breakLinks(in); got != want {
			t.Errorf("breakLinks(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodeSpanAndFence(t *testing.T) {
	for in, want := range map[string]string{
		"a":          "`a`",
		"a`b":        "`` a`b ``",
		"x``y`":      "``` x``y` ```",
		"e\x1b":      "`e\\x1b`",
		"":           "`-`",
		"line\nnext": "`line\\nnext`",
	} {
		if got := codeSpan(in); got != want {
			t.Errorf("codeSpan(%q) = %q, want %q", in, got, want)
		}
	}
	if got := codeFence("a ```` b"); got != "`````" {
		t.Errorf("codeFence = %q", got)
	}
	if got := codeFence("plain"); got != "```" {
		t.Errorf("codeFence = %q", got)
	}
}

func TestClip(t *testing.T) {
	if got := clip("héllo", 4); got != "h…" {
		t.Errorf("clip = %q", got)
	}
	if got := clip("short", 10); got != "short" {
		t.Errorf("clip = %q", got)
	}
	if got := clip(strings.Repeat("é", 100), 11); len(got) > 11 || !strings.HasSuffix(got, "…") {
		t.Errorf("clip = %q", got)
	}
}

func TestMarkdownURL(t *testing.T) {
	if got := markdownURL("https://x.example/a b)(<c>\u202e`"); got != "https://x.example/a%20b%29%28%3Cc%3E%E2%80%AE%60" {
		t.Errorf("markdownURL = %q", got)
	}
}
