package waivers

import (
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// TagLookup returns a resource's tags by ARN (nil when it has none or is
// not known).
type TagLookup func(arn string) map[string]string

// Matches reports whether the entry's matchers cover r: its check (any
// case) or one of the controls r decides, and its resource (an exact ARN
// or a glob, * any run of characters and ? one) or all of its tags.
func (e Entry) Matches(r findings.Result, tags TagLookup) bool {
	if e.Check != "" && !strings.EqualFold(e.Check, r.CheckID) {
		return false
	}
	if e.Control != "" {
		fw, id, _ := strings.Cut(e.Control, "/")
		if !containsFold(r.Controls[fw], id) {
			return false
		}
	}
	if e.Tag != nil {
		var have map[string]string
		if tags != nil {
			have = tags(r.Resource.ARN)
		}
		for k, v := range e.Tag {
			if got, ok := have[k]; !ok || got != v {
				return false
			}
		}
		return true
	}
	return Glob(e.Resource, r.Resource.ARN)
}

// Apply attaches to every FAIL the first entry in force that covers it, or,
// when only expired entries cover it, the first of those with Expired set.
// Other results are never changed. It returns the entries that covered no
// FAIL, in file order.
func (f *File) Apply(results []findings.Result, now time.Time, tags TagLookup) (unused []Entry) {
	used := make([]bool, len(f.Entries))
	for i := range results {
		r := &results[i]
		if r.Status != findings.Fail {
			continue
		}
		var inForce, expired *Entry
		for j := range f.Entries {
			e := &f.Entries[j]
			if !e.Matches(*r, tags) {
				continue
			}
			used[j] = true
			if e.Expired(now) {
				if expired == nil {
					expired = e
				}
			} else if inForce == nil {
				inForce = e
			}
		}
		switch {
		case inForce != nil:
			w := inForce.Waiver
			w.Tag = copyTags(w.Tag)
			r.Waiver = &w
		case expired != nil:
			w := expired.Waiver
			w.Tag = copyTags(w.Tag)
			w.Expired = true
			r.Waiver = &w
		}
	}
	for j, e := range f.Entries {
		if !used[j] {
			unused = append(unused, e)
		}
	}
	return unused
}

func copyTags(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Glob matches s against pattern, where * matches any run of characters
// (slashes included: a role path is part of its ARN) and ? any one
// character; everything else matches itself. A pattern with neither is an
// exact ARN.
func Glob(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
