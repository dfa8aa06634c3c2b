package iampolicy

import (
	"fmt"
	"strings"
	"testing"
)

// Pathological shapes for the wildcard matcher. Each text nearly matches at
// every position, which is what makes a backtracking matcher quadratic.

func benchSizes() []int { return []int{1 << 10, 10 << 10, 100 << 10} }

func BenchmarkGlobStarLiteralStar(b *testing.B) {
	for _, n := range benchSizes() {
		lit := strings.Repeat("a", n-1) + "b"
		rp := compileResource("arn:aws:s3:::*"+lit+"*", false)
		text := "arn:aws:s3:::" + strings.Repeat("a", 2*n)
		b.Run(fmt.Sprintf("resource/%dKiB", n>>10), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if rp.match(text, nil, false) {
					b.Fatal("matched")
				}
			}
		})
		g := compileGlob("s3:*" + strings.ToUpper(lit) + "*")
		action := "s3:" + strings.Repeat("a", 2*n)
		b.Run(fmt.Sprintf("action/%dKiB", n>>10), func(b *testing.B) {
			b.SetBytes(int64(len(action)))
			b.ReportAllocs()
			for b.Loop() {
				if g.match(action) {
					b.Fatal("matched")
				}
			}
		})
	}
}

func BenchmarkGlobManyStars(b *testing.B) {
	for _, n := range benchSizes() {
		pat := strings.Repeat("a*", n/2) + "b"
		g := compileGlob(pat)
		text := strings.Repeat("a", n)
		b.Run(fmt.Sprintf("%dKiB", n>>10), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if g.match(text) {
					b.Fatal("matched")
				}
			}
		})
	}
}

func BenchmarkGlobQuestionChunk(b *testing.B) {
	for _, n := range benchSizes() {
		pat := "*" + strings.Repeat("a?", n/2) + "b*"
		rp := compileResource(pat, false)
		text := strings.Repeat("a", 2*n)
		b.Run(fmt.Sprintf("%dKiB", n>>10), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if rp.match(text, nil, false) {
					b.Fatal("matched")
				}
			}
		})
	}
}

func BenchmarkStringLikeCondition(b *testing.B) {
	for _, n := range benchSizes() {
		lit := strings.Repeat("a", n-1) + "b"
		doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/k":"*%s*"}}}}`, lit)
		p := mustParse(b, "c", doc)
		set := PolicySet{Identity: []PolicyRef{{Kind: "user-inline", Name: "c", Policy: p}}}
		req := Request{Principal: guideUser(), Action: "s3:GetObject", Resource: "*", Context: map[string][]string{"aws:PrincipalTag/k": {strings.Repeat("a", 2*n)}}}
		b.Run(fmt.Sprintf("%dKiB", n>>10), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if Evaluate(set, req).Allowed {
					b.Fatal("allowed")
				}
			}
		})
	}
}

// Typical shapes, to watch the common case.
func BenchmarkGlobTypical(b *testing.B) {
	rp := compileResource("arn:aws:s3:::my-bucket-*/home/*/private/*", false)
	arn := "arn:aws:s3:::my-bucket-prod/home/alice/private/notes.txt"
	g := compileGlob("s3:*Object*")
	q := compileResource("arn:aws:ec2:us-east-?:*:instance/i-*", false)
	ec2 := "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"
	b.ReportAllocs()
	for b.Loop() {
		if !rp.match(arn, nil, false) || !g.match("s3:GetObjectAcl") || !q.match(ec2, nil, false) {
			b.Fatal("no match")
		}
	}
}
