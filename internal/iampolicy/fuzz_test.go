package iampolicy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, fn := range files {
		if b, err := os.ReadFile(fn); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::${aws:username}/*","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*",1,true]}}}]}`,
		`{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":["123456789012"]},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"DateLessThan":{"aws:CurrentTime":"2020-01-01"}}}]}`,
		`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:Get?bject","Resource":"arn:aws:*"}]}`,
	} {
		f.Add([]byte(s))
	}
	u := guideUser()
	c, _ := NamedContext(ContextMFASession, u, ContextOptions{})
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := Parse("fuzz", doc)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error is %T, want *ParseError", err)
			}
			return
		}
		ref := PolicyRef{Kind: "user-inline", Name: "fuzz", Policy: p}
		set := PolicySet{Identity: []PolicyRef{ref}, Boundary: &ref, Resource: []PolicyRef{{Kind: "trust", Name: "fuzz", Policy: p}}}
		for _, a := range []string{"s3:GetObject", "sts:AssumeRole", "iam:CreateUser"} {
			d := Evaluate(set, Request{Principal: u, Action: a, Resource: "arn:aws:s3:::bucket/username/x", Context: c})
			if d.Allowed != (d.Effect == Allow) || d.Reason == "" {
				t.Fatalf("inconsistent decision %+v", d)
			}
		}
	})
}

func FuzzEvaluateCondition(f *testing.F) {
	seeds := []struct{ op, key, val, req string }{
		{"StringLike", "s3:prefix", "home/${aws:username}/*", "home/username/a"},
		{"ForAllValues:StringEquals", "aws:TagKeys", "a", "a"},
		{"NumericLessThanIfExists", "aws:MultiFactorAuthAge", "3600", "12"},
		{"DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", "1600000000"},
		{"NotIpAddress", "aws:SourceIp", "2001:db8::/32", "2001:db8::1"},
		{"ArnLike", "aws:SourceArn", "arn:aws:*:*:123456789012:*", "arn:aws:sns:us-east-1:123456789012:t"},
		{"Null", "aws:TokenIssueTime", "true", ""},
		{"Bool", "aws:SecureTransport", "${aws:x, 'true'}", "TRUE"},
		{"StringEquals", "k", "${*}${?}${$}${", "*?$${"},
	}
	for _, s := range seeds {
		f.Add(s.op, s.key, s.val, s.req)
	}
	u := guideUser()
	f.Fuzz(func(t *testing.T, op, key, val, req string) {
		cond, _ := json.Marshal(map[string]map[string]string{op: {key: val}})
		doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":` + string(cond) + `}}`
		p, err := Parse("fuzz", []byte(doc))
		if err != nil {
			return
		}
		set := PolicySet{Identity: []PolicyRef{{Kind: "user-inline", Name: "fuzz", Policy: p}}}
		for _, c := range []map[string][]string{{key: {req}}, {key: {req, val}}, {}, {key: {}}} {
			d := Evaluate(set, Request{Principal: u, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Context: c})
			if d.Allowed != (d.Effect == Allow) {
				t.Fatalf("inconsistent decision %+v", d)
			}
		}
	})
}

// FuzzGlob checks the glob matcher against the regexp reference and its
// work bound, with the default search limits and with every literal and
// every chunk with ? sent through Knuth-Morris-Pratt and Shift-And. Texts
// may be invalid UTF-8 (each stray byte is one character); patterns are
// valid UTF-8, as JSON policies always are.
func FuzzGlob(f *testing.F) {
	for _, s := range [][2]string{{"a*b?c", "aXXbYc"}, {"*", ""}, {"**a", "ba"}, {"?", "é"}, {"a*a*a", "aaaa"}, {"*/*", "x/y/z"},
		{"*??", "€"}, {"*?a", "\xe2\x82a"}, {"*aab*", "aaab"}, {"*ab?*b", "xaAbé\xc3b"}} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, pattern, s string, fold bool) {
		if !utf8.ValidString(pattern) || (!utf8.ValidString(s) && strings.ContainsRune(pattern, utf8.RuneError)) {
			// regexp reads a stray byte as U+FFFD, the matcher compares bytes.
			return
		}
		var segs []seg
		for _, tk := range parseTemplate(pattern, false, true) {
			segs = append(segs, seg{kind: tk.kind, text: tk.text})
		}
		oldBudget, oldNeedle := directBudget, shortNeedle
		defer func() { directBudget, shortNeedle = oldBudget, oldNeedle }()
		for _, limits := range [][2]int{{oldBudget, oldNeedle}, {0, 1}} {
			directBudget, shortNeedle = limits[0], limits[1]
			checkGlob(t, segs, s, fold)
		}
	})
}
