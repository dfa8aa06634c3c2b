package iampolicy

import (
	"strings"
	"unicode/utf8"
)

// Wildcard matching without backtracking.
//
// A pattern is a run of chunks separated by stars: C0 * C1 * ... * Ck, each
// chunk a sequence of literal text and ?. C0 can only match at the start of
// the text and Ck only at its end, so each is compared once, in place. The
// middle chunks are then found left to right in what lies between, each at
// its earliest occurrence after the previous one. The earliest occurrence is
// always safe: a chunk has a fixed number of characters, so it also ends
// earliest, and whatever the rest of the pattern matches after a later
// occurrence, the star that follows can stretch to reach from the earliest
// one. Nothing is retried: the search windows of successive chunks do not
// overlap, and each chunk is searched with a method whose cost is bounded
// per byte of window:
//
//   - a literal of at most shortNeedle bytes: strings.Index (brute force
//     for needles this short, so at most shortNeedle comparisons per byte),
//     or a scan comparing ASCII case-insensitively when folding;
//   - a longer literal: Knuth-Morris-Pratt, at most two comparisons per byte
//     after a table built in time linear in the literal;
//   - a chunk of several pieces (? or adjacent literals) when window and
//     chunk are both small: a direct scan at every character boundary;
//   - a larger chunk containing ?: the bit-parallel Shift-And automaton,
//     which spends ceil(c/64) word operations per character of text for a
//     chunk of c characters (linear for chunks of up to 64 characters);
//     a larger chunk of adjacent literals is joined into one literal.
//
// So a pattern without ? in its middle chunks is matched in time linear in
// len(pattern)+len(text), and one with ? in time linear in the text times
// ceil(c/64) for its longest such chunk.
//
// ? matches one character: one UTF-8 sequence, or a single byte that does not
// start one, as Go's range loops and regexp decode text. Patterns come from
// JSON and are valid UTF-8, so a literal can only match at a character
// boundary, and the positions a star leaves between chunks are boundaries.

// shortNeedle is the longest literal searched with strings.Index, which is
// brute force (bounded by the needle length per byte) for needles of up to
// bytealg.MaxLen bytes (at least 31 on amd64 and arm64), and Rabin-Karp with
// a verification of at most this many bytes per candidate elsewhere. (A
// variable only so that tests can send short literals through the other
// search.)
var shortNeedle = 31

// directBudget bounds window bytes times chunk length for the direct scan
// of a chunk containing ? (a variable for the same reason).
var directBudget = 4096

// globMatcher matches one pattern; steps counts the units of work done
// (byte comparisons, characters decoded, automaton words updated), which
// the tests use to check the bounds above without timing anything.
type globMatcher struct {
	fold  bool // ASCII letters match case-insensitively
	steps int
}

// matchSegs reports whether s matches the glob p. fold makes ASCII letters
// match case-insensitively.
func matchSegs(p []seg, s string, fold bool) bool {
	m := globMatcher{fold: fold}
	return m.match(p, s)
}

func (m *globMatcher) match(p []seg, s string) bool {
	// Leading chunk, compared at the start while the pattern is read.
	i, pos := 0, 0
	for ; i < len(p) && p[i].kind != tokStar; i++ {
		if pos = m.forward(&p[i], s, pos); pos < 0 {
			return false
		}
	}
	if i == len(p) {
		return pos == len(s)
	}
	// Trailing chunk, compared backwards from the end; it must not reach
	// into the leading chunk's text.
	j, end := len(p)-1, len(s)
	for ; p[j].kind != tokStar; j-- {
		if end = m.backward(&p[j], s, end); end < pos {
			return false
		}
	}
	// p[i] and p[j] are stars; the chunks between them are found in
	// s[pos:end], in order.
	for k := i + 1; k < j; {
		if p[k].kind == tokStar {
			k++
			continue
		}
		l, minLen := k, 0
		for ; p[l].kind != tokStar; l++ {
			m.steps++
			if p[l].kind == tokQmark {
				minLen++
			} else {
				minLen += len(p[l].text)
			}
			if minLen > end-pos {
				return false // the chunk cannot fit: no need to read the rest of it
			}
		}
		at := m.find(p[k:l], s[pos:end], minLen)
		if at < 0 {
			return false
		}
		pos += at
		k = l
	}
	return true
}

// forward matches one token at s[pos:], returning the position after it or -1.
func (m *globMatcher) forward(sg *seg, s string, pos int) int {
	if sg.kind == tokQmark {
		if pos >= len(s) {
			return -1
		}
		m.steps++
		_, w := utf8.DecodeRuneInString(s[pos:])
		return pos + w
	}
	t := sg.text
	if len(s)-pos < len(t) {
		return -1
	}
	m.steps += len(t)
	if !m.equal(s[pos:pos+len(t)], t) {
		return -1
	}
	return pos + len(t)
}

// backward matches one token ending at s[:end], returning where it starts or -1.
func (m *globMatcher) backward(sg *seg, s string, end int) int {
	if sg.kind == tokQmark {
		if end <= 0 {
			return -1
		}
		m.steps += 4
		return charStart(s, end)
	}
	t := sg.text
	if end < len(t) {
		return -1
	}
	m.steps += len(t)
	if !m.equal(s[end-len(t):end], t) {
		return -1
	}
	return end - len(t)
}

// charStart returns where the character that ends at the boundary end
// starts, decoding as a forward scan would: the nearest byte before end that
// is not a UTF-8 continuation byte starts it if the sequence it begins is
// valid and reaches end; otherwise the last byte is a character by itself.
func charStart(s string, end int) int {
	for j := end - 1; j >= 0 && j >= end-utf8.UTFMax; j-- {
		if s[j]&0xC0 != 0x80 {
			if _, w := utf8.DecodeRuneInString(s[j:]); j+w >= end {
				return j
			}
			break
		}
	}
	return end - 1
}

func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func (m *globMatcher) eq(a, b byte) bool {
	return a == b || m.fold && lower(a) == lower(b)
}

// equal compares two strings of equal length, ASCII case-insensitively when
// folding (never Unicode folding: AWS compares action names as ASCII).
func (m *globMatcher) equal(a, b string) bool {
	if !m.fold {
		return a == b
	}
	return asciiEqualFold(a, b)
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// find returns the end of the earliest occurrence of chunk c (no stars) in
// t, or -1. minLen is the fewest bytes c can match.
func (m *globMatcher) find(c []seg, t string, minLen int) int {
	if minLen == 0 {
		return 0 // only empty literals (parsing and substitution make none)
	}
	hasQ := false
	for i := range c {
		if c[i].kind == tokQmark {
			hasQ = true
			break
		}
	}
	if hasQ || len(c) > 1 {
		// Several pieces (? or literals split by resolved variables):
		// small inputs are scanned directly, without building anything.
		if len(t)*minLen <= directBudget {
			return m.directFind(c, t)
		}
		if hasQ {
			return m.shiftAndFind(c, t)
		}
	}
	needle := c[0].text
	if len(c) > 1 {
		var b strings.Builder
		b.Grow(minLen)
		for i := range c {
			b.WriteString(c[i].text)
		}
		needle = b.String()
	}
	if len(needle) > shortNeedle {
		return m.kmpFind(needle, t)
	}
	if !m.fold {
		at := strings.Index(t, needle)
		if at < 0 {
			m.steps += len(t) * len(needle)
			return -1
		}
		m.steps += (at + len(needle)) * len(needle)
		return at + len(needle)
	}
	if needle == "" {
		return 0
	}
	n0 := lower(needle[0])
	for i := 0; i+len(needle) <= len(t); i++ {
		m.steps++
		if lower(t[i]) != n0 {
			continue
		}
		m.steps += len(needle)
		if asciiEqualFold(t[i:i+len(needle)], needle) {
			return i + len(needle)
		}
	}
	return -1
}

// directFind tries c at every character boundary of t (for small inputs).
func (m *globMatcher) directFind(c []seg, t string) int {
	for i := 0; i < len(t); {
		e := i
		for k := range c {
			if e = m.forward(&c[k], t, e); e < 0 {
				break
			}
		}
		if e >= 0 {
			return e
		}
		m.steps++
		_, w := utf8.DecodeRuneInString(t[i:])
		i += w
	}
	return -1
}

// kmpFind is Knuth-Morris-Pratt search for needle in t, returning the end of
// the first occurrence or -1.
func (m *globMatcher) kmpFind(needle, t string) int {
	if len(needle) > len(t) {
		return -1
	}
	// border[i]: length of the longest proper border of needle[:i+1].
	border := make([]int32, len(needle))
	k := 0
	for i := 1; i < len(needle); i++ {
		for k > 0 && !m.eq(needle[i], needle[k]) {
			k = int(border[k-1])
			m.steps++
		}
		if m.eq(needle[i], needle[k]) {
			k++
		}
		border[i] = int32(k)
		m.steps++
	}
	k = 0
	for i := 0; i < len(t); i++ {
		for k > 0 && !m.eq(t[i], needle[k]) {
			k = int(border[k-1])
			m.steps++
		}
		m.steps++
		if m.eq(t[i], needle[k]) {
			k++
			if k == len(needle) {
				return i + 1
			}
		}
	}
	return -1
}

// shiftAndFind runs the Shift-And automaton of chunk c over t: bit j of the
// state is set when the first j+1 characters of c match the text read so far
// ending at the current character. It returns the end of the first match or -1.
func (m *globMatcher) shiftAndFind(c []seg, t string) int {
	// Number the chunk's distinct characters and record where each occurs.
	var byteID [256]int32
	for i := range byteID {
		byteID[i] = -1
	}
	var multi map[string]int32
	var positions [][]int32
	var qpos []int32
	n := int32(0)
	for k := range c {
		if c[k].kind == tokQmark {
			qpos = append(qpos, n)
			n++
			continue
		}
		text := c[k].text
		for i := 0; i < len(text); {
			m.steps++
			_, w := utf8.DecodeRuneInString(text[i:])
			var id int32
			if w == 1 {
				b := text[i]
				if m.fold {
					b = lower(b)
				}
				if id = byteID[b]; id < 0 {
					id = int32(len(positions))
					byteID[b] = id
					positions = append(positions, nil)
				}
			} else {
				key := text[i : i+w]
				var ok bool
				if id, ok = multi[key]; !ok {
					if multi == nil {
						multi = map[string]int32{}
					}
					id = int32(len(positions))
					multi[key] = id
					positions = append(positions, nil)
				}
			}
			positions[id] = append(positions[id], n)
			n++
			i += w
		}
	}
	words := int(n+63) / 64
	qmask := make([]uint64, words)
	for _, p := range qpos {
		qmask[p>>6] |= 1 << (p & 63)
	}
	// A character occurring more often than there are words gets a dense
	// mask (fewer than 64 such characters, so the masks total under 64 words
	// per word of state); the others keep their positions, at most one word's
	// worth each, so every text character costs O(words).
	dense := make([][]uint64, len(positions))
	for id, ps := range positions {
		if len(ps) > words {
			mask := make([]uint64, words)
			for _, p := range ps {
				mask[p>>6] |= 1 << (p & 63)
			}
			dense[id] = mask
		}
		m.steps += len(ps)
	}
	state := make([]uint64, words)
	shifted := make([]uint64, words)
	lastWord, lastBit := (n-1)>>6, uint64(1)<<((n-1)&63)
	for i := 0; i < len(t); {
		b, w := t[i], 1
		id := int32(-1)
		if b < utf8.RuneSelf {
			if m.fold {
				b = lower(b)
			}
			id = byteID[b]
		} else if _, w = utf8.DecodeRuneInString(t[i:]); w == 1 {
			id = byteID[b]
		} else if v, ok := multi[t[i:i+w]]; ok {
			id = v
		}
		i += w
		// state = (state<<1 | 1) & (the masks of ? and of this character);
		// the 1 lets a match start at this character.
		carry := uint64(1)
		m.steps += words
		switch {
		case id < 0:
			for x, d := range state {
				state[x] = (d<<1 | carry) & qmask[x]
				carry = d >> 63
			}
		case dense[id] != nil:
			mask := dense[id]
			for x, d := range state {
				state[x] = (d<<1 | carry) & (qmask[x] | mask[x])
				carry = d >> 63
			}
		default:
			for x, d := range state {
				shifted[x] = d<<1 | carry
				state[x] = shifted[x] & qmask[x]
				carry = d >> 63
			}
			for _, p := range positions[id] {
				if shifted[p>>6]&(1<<(p&63)) != 0 {
					state[p>>6] |= 1 << (p & 63)
				}
			}
			m.steps += len(positions[id])
		}
		if state[lastWord]&lastBit != 0 {
			return i
		}
	}
	return -1
}
