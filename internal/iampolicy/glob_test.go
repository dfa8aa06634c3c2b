package iampolicy

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// globRegexp is the reference matcher: Go's regexp (RE2, linear time) with
// * as (?s:.*), ? as (?s:.) and ASCII letters as [xX] classes when folding
// (the matcher folds ASCII only, while (?i) would fold Unicode too).
func globRegexp(p []seg, fold bool) *regexp.Regexp {
	var re strings.Builder
	re.WriteString(`(?s)\A`)
	for _, sg := range p {
		switch sg.kind {
		case tokStar:
			re.WriteString(`.*`)
		case tokQmark:
			re.WriteString(`.`)
		default:
			for _, r := range sg.text {
				if fold && r < utf8.RuneSelf && ('a' <= r|0x20 && r|0x20 <= 'z') {
					fmt.Fprintf(&re, "[%c%c]", r|0x20, r&^0x20)
					continue
				}
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
	}
	re.WriteString(`\z`)
	return regexp.MustCompile(re.String())
}

// Alphabets kept small so that random patterns match random texts often.
var (
	patRunes  = []string{"a", "b", "A", "é", "€", "𝄞", ":", "/"}
	textRunes = []string{"a", "b", "A", "B", "é", "€", "𝄞", ":", "/", "\xc3", "\xa9", "\xe2\x82", "\x80"} // the last four are not valid UTF-8
)

func randLit(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(patRunes[r.IntN(len(patRunes))])
	}
	return b.String()
}

// randSegs builds a resolved pattern directly (adjacent literals and stars
// occur, as after variable substitution).
func randSegs(r *rand.Rand, n, maxLit int) []seg {
	p := make([]seg, 0, n)
	for range n {
		switch k := r.IntN(10); {
		case k < 3:
			p = append(p, seg{kind: tokStar})
		case k < 5:
			p = append(p, seg{kind: tokQmark})
		default:
			p = append(p, seg{kind: tokLit, text: randLit(r, 1+r.IntN(maxLit))})
		}
	}
	return p
}

func randText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(textRunes[r.IntN(len(textRunes))])
	}
	return b.String()
}

// instantiate returns a text matching p (with fold, letters' case changed
// at random), or, half the time, one mutated at a random place.
func instantiate(r *rand.Rand, p []seg, fold bool) string {
	var b strings.Builder
	for _, sg := range p {
		switch sg.kind {
		case tokStar:
			b.WriteString(randText(r, r.IntN(4)))
		case tokQmark:
			b.WriteString(textRunes[r.IntN(len(textRunes))])
		default:
			t := sg.text
			if fold && r.IntN(2) == 0 {
				t = strings.ToUpper(t)
			}
			b.WriteString(t)
		}
	}
	s := b.String()
	if r.IntN(2) == 0 && len(s) > 0 {
		i := r.IntN(len(s))
		s = s[:i] + randText(r, 1) + s[i+1:]
	}
	return s
}

func segsString(p []seg) string {
	var b strings.Builder
	for _, sg := range p {
		switch sg.kind {
		case tokStar:
			b.WriteString("<*>")
		case tokQmark:
			b.WriteString("<?>")
		default:
			fmt.Fprintf(&b, "%q", sg.text)
		}
	}
	return b.String()
}

// stepBound is the work the matcher may do on p and s: linear in
// len(pattern)+len(text), times the Shift-And words of its longest middle
// chunk with ?, plus the direct-scan budget per middle chunk of several
// pieces.
func stepBound(p []seg, s string) int {
	size := 1 + len(s)
	for _, sg := range p {
		size += 1 + len(sg.text)
	}
	first, last := -1, -1
	for i, sg := range p {
		if sg.kind == tokStar {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	words, qchunks := 1, 0
	if first >= 0 {
		chars, pieces, hasQ := 0, 0, false
		for _, sg := range p[first : last+1] {
			switch sg.kind {
			case tokStar:
				if hasQ {
					words = max(words, (chars+63)/64)
				}
				if hasQ || pieces > 1 {
					qchunks++
				}
				chars, pieces, hasQ = 0, 0, false
			case tokQmark:
				chars, pieces, hasQ = chars+1, pieces+1, true
			default:
				chars, pieces = chars+utf8.RuneCountInString(sg.text), pieces+1
			}
		}
	}
	return (shortNeedle+4)*size*words + 3*directBudget*qchunks
}

func checkGlob(t *testing.T, p []seg, s string, fold bool) {
	t.Helper()
	want := globRegexp(p, fold).MatchString(s)
	m := globMatcher{fold: fold}
	if got := m.match(p, s); got != want {
		t.Fatalf("pattern %s text %q fold %v: got %v want %v", segsString(p), s, fold, got, want)
	}
	if b := stepBound(p, s); m.steps > b {
		t.Fatalf("pattern %s text %q fold %v: %d steps, bound %d", segsString(p), s, fold, m.steps, b)
	}
}

// TestGlobMatchesReference compares the matcher with the regexp reference
// on random patterns and texts, through both the direct scan and the
// Shift-And automaton for chunks with ?, with one-word and multi-word
// automata, and checks the work bound on each.
func TestGlobMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	oldBudget, oldNeedle := directBudget, shortNeedle
	defer func() { directBudget, shortNeedle = oldBudget, oldNeedle }()
	// The defaults, then every chunk with ? through the automaton and every
	// literal longer than one byte through Knuth-Morris-Pratt.
	for _, limits := range [][2]int{{oldBudget, oldNeedle}, {0, 1}} {
		directBudget, shortNeedle = limits[0], limits[1]
		for i := 0; i < 20000; i++ {
			fold := i%2 == 1
			p := randSegs(r, r.IntN(10), 3)
			s := randText(r, r.IntN(16))
			if i%3 == 0 {
				s = instantiate(r, p, fold)
			}
			checkGlob(t, p, s, fold)
		}
		// Long chunks: multi-word automata and dense masks.
		for i := 0; i < 300; i++ {
			fold := i%2 == 1
			var p []seg
			for range 3 {
				p = append(p, seg{kind: tokStar})
				for range 20 + r.IntN(60) {
					if r.IntN(3) == 0 {
						p = append(p, seg{kind: tokQmark})
					} else {
						p = append(p, seg{kind: tokLit, text: randLit(r, 1+r.IntN(2))})
					}
				}
			}
			p = append(p, seg{kind: tokStar})
			checkGlob(t, p, instantiate(r, p, fold), fold)
		}
		// Periodic literals, where a substring search that forgets how
		// much of the needle it has matched misses occurrences.
		for i := 0; i < 2000; i++ {
			fold := i%2 == 1
			unit := randLit(r, 1+r.IntN(3))
			needle := strings.Repeat(unit, 1+r.IntN(40)) + randLit(r, r.IntN(3))
			p := []seg{{kind: tokStar}, {kind: tokLit, text: needle}, {kind: tokStar}}
			if i%3 == 0 {
				p = append(p, seg{kind: tokLit, text: unit}, seg{kind: tokStar})
			}
			s := randLit(r, r.IntN(3)) + strings.Repeat(unit, r.IntN(50)) + instantiate(r, p, fold)
			checkGlob(t, p, s, fold)
		}
	}
}

// TestGlobWorkIsLinear proves the bound on the shapes that cost quadratic
// time with a backtracking matcher (a star, a literal that nearly matches
// everywhere, a star), by counting the matcher's steps rather than timing
// it: at 1 MiB, quadratic work would be about 10^12 steps.
func TestGlobWorkIsLinear(t *testing.T) {
	const n = 1 << 20
	as := strings.Repeat("a", n)
	lit := func(s string) seg { return seg{kind: tokLit, text: s} }
	star, q := seg{kind: tokStar}, seg{kind: tokQmark}
	manyStars := []seg{lit("a")}
	for range 1000 {
		manyStars = append(manyStars, star, lit("a"))
	}
	manyStars = append(manyStars, star, lit("b"))
	cases := []struct {
		name string
		p    []seg
		s    string
		want bool
		// linear: the bound is steps <= 40*(len(pattern)+len(text)).
		// Otherwise (a ? in a long middle chunk) it is that times the
		// automaton's words.
		linear bool
	}{
		{"star-long-literal-star", []seg{star, lit(as[:n/2] + "b"), star}, as, false, true},
		{"star-long-literal-star-match", []seg{star, lit(as[:n/2] + "b"), star}, as + "b", true, true},
		{"star-long-literal-star-folded", []seg{star, lit(strings.ToUpper(as[:n/2]) + "B"), star}, as + "b", true, true},
		{"star-short-literal-star", []seg{star, lit(as[:30] + "b"), star}, as, false, true},
		{"star-short-literal-star-folded", []seg{star, lit(strings.ToUpper(as[:30]) + "b"), star}, as, false, true},
		{"many-stars", manyStars, as, false, true},
		{"many-short-chunks", append(append([]seg{}, manyStars[:len(manyStars)-1]...), lit("a"+as[:20]+"b")), as + "b", true, true},
		{"star-literal-end", []seg{star, lit(as[:n/2] + "b")}, as, false, true},
		{"qmarks-at-ends", []seg{q, q, lit("a"), star, lit(as[:1000] + "b"), star, q, lit("a"), q}, as, false, true},
		{"qmark-chunk", []seg{star, lit(as[:40]), q, lit("b"), star}, as, false, true},
		{"empty-literals", []seg{lit("a"), star, lit(""), lit(""), star, lit("")}, "ab", true, true},
		{"long-qmark-chunk", append(append([]seg{star}, repeatSegs([]seg{lit("a"), q}, 500)...), lit("b"), star), as, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := globMatcher{fold: strings.Contains(c.name, "folded")}
			start := time.Now()
			if got := m.match(c.p, c.s); got != c.want {
				t.Fatalf("got %v want %v", got, c.want)
			}
			size := len(c.s) + 1
			for _, sg := range c.p {
				size += 1 + len(sg.text)
			}
			bound := 40 * size
			if !c.linear {
				bound *= (1000 + 63) / 64 // 1001 characters: 16 words
			}
			if m.steps > bound {
				t.Fatalf("%d steps for %d bytes of input, bound %d", m.steps, size, bound)
			}
			t.Logf("%d steps for %d bytes of input (%.1f per byte), %v", m.steps, size, float64(m.steps)/float64(size), time.Since(start))
		})
	}
}

func repeatSegs(p []seg, n int) []seg {
	var out []seg
	for range n {
		out = append(out, p...)
	}
	return out
}

// TestCharStart checks the backward character step against forward
// decoding on every boundary of texts with invalid UTF-8.
func TestCharStart(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		s := randText(r, r.IntN(12))
		var starts []int
		for i := 0; i < len(s); {
			starts = append(starts, i)
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
		}
		for k, st := range starts {
			end := len(s)
			if k+1 < len(starts) {
				end = starts[k+1]
			}
			if got := charStart(s, end); got != st {
				t.Fatalf("text %q: charStart(%d) = %d, want %d", s, end, got, st)
			}
		}
	}
}

// TestPathologicalInputsEndToEnd runs hostile sizes through the public
// matching paths (Resource, Action, StringLike and ArnLike). The step test
// above is the proof of the bound; this one checks that nothing on the way
// to the matcher is super-linear: quadratically it would run for hours.
func TestPathologicalInputsEndToEnd(t *testing.T) {
	const n = 1 << 20
	lit := strings.Repeat("a", n/2) + "b"
	name := strings.Repeat("a", n)
	rp := compileResource("arn:aws:s3:::*"+lit+"*", true)
	if rp.match("arn:aws:s3:::"+name, &env{req: &Request{}}, false) {
		t.Error("resource pattern matched")
	}
	if !rp.match("arn:aws:s3:::"+name+"b", &env{req: &Request{}}, false) {
		t.Error("resource pattern did not match")
	}
	g := compileGlob("s3:*" + strings.ToUpper(lit) + "*")
	if g.match("s3:" + name) {
		t.Error("action pattern matched")
	}
	if !g.match("s3:" + name + "B") {
		t.Error("action pattern did not match")
	}
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
		"StringLike":{"aws:PrincipalTag/k":"*%s*"},
		"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*${aws:PrincipalTag/k}*"}}}}`, lit)
	p := mustParse(t, "c", doc)
	set := PolicySet{Identity: []PolicyRef{{Kind: "user-inline", Name: "c", Policy: p}}}
	ctx := map[string][]string{"aws:PrincipalTag/k": {name + "b"}, "aws:SourceArn": {"arn:aws:s3:::x" + name + "bx"}}
	if d := Evaluate(set, Request{Principal: guideUser(), Action: "s3:GetObject", Resource: "*", Context: ctx}); !d.Allowed {
		t.Errorf("conditions should hold: %s", d.Reason)
	}
	ctx["aws:SourceArn"] = []string{"arn:aws:s3:::" + name}
	if d := Evaluate(set, Request{Principal: guideUser(), Action: "s3:GetObject", Resource: "*", Context: ctx}); d.Allowed {
		t.Errorf("ArnLike should not hold")
	}
}
