package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// lineRange is a 1-based, inclusive range of lines in the snapshot file.
type lineRange struct {
	Start, End int
}

// locator finds the lines of snapshot entities by ARN. It tokenises the
// snapshot once and records where every entity object begins and ends, so it
// works for the canonical 2-space layout and for any other valid JSON layout.
type locator struct {
	account  lineRange
	hasAcct  bool
	entities map[string]lineRange // users, groups, roles, policies by "arn"
	credRows map[string]lineRange // credential report rows by "arn"
	rootRow  lineRange
	hasRoot  bool
	mfa      map[string]lineRange // virtual MFA devices by serial_number (an ARN)
	profiles map[string]lineRange // aws_config.profiles by name
	blocks   map[string]lineRange // top-level source blocks by source name
	sources  map[string]lineRange // entries of the "sources" status map
	newlines []int
}

// cliProfilePrefix starts the resource ARN of a local AWS CLI profile.
const cliProfilePrefix = "awscli:profile/"

// sourceKeys maps snapshot source names (as checks list them in
// requires) to the top-level key holding their data.
var sourceKeys = map[string]string{
	"caller_identity":     "caller",
	"credential_report":   "credential_report",
	"account_summary":     "account_summary",
	"password_policy":     "password_policy",
	"account_aliases":     "account",
	"virtual_mfa_devices": "virtual_mfa_devices",
	"aws_config":          "aws_config",
}

// entityLists are the top-level snapshot arrays whose objects carry an "arn".
var entityLists = map[string]bool{"users": true, "groups": true, "roles": true, "policies": true}

// newLocator indexes data with a small single-pass scanner (the snapshot
// can be tens of megabytes; encoding/json's token API is an order of
// magnitude slower). Only structure is checked, not every scalar: the
// snapshot was schema-validated when it was loaded. A snapshot that cannot be
// scanned gives an error naming the line; callers then fall back to line 1.
func newLocator(data []byte) (*locator, error) {
	l := &locator{
		entities: map[string]lineRange{},
		credRows: map[string]lineRange{},
		mfa:      map[string]lineRange{},
		blocks:   map[string]lineRange{},
		sources:  map[string]lineRange{},
		profiles: map[string]lineRange{},
	}
	for i, b := range data {
		if b == '\n' {
			l.newlines = append(l.newlines, i)
		}
	}
	sc := &scanner{data: data, l: l}
	err := sc.object(func(key string) error {
		start := l.line(sc.pos)
		var err error
		switch {
		case key == "account":
			var r lineRange
			if r, _, err = sc.fields(nil); err == nil && r.Start > 0 {
				l.account, l.hasAcct = r, true
			}
		case entityLists[key]:
			err = sc.indexArray("arn", l.entities)
		case key == "virtual_mfa_devices":
			err = sc.indexArray("serial_number", l.mfa)
		case key == "credential_report":
			err = sc.credentialReport()
		case key == "aws_config" && sc.peek() == '{':
			err = sc.object(func(k string) error {
				if k == "profiles" {
					return sc.indexArray("name", l.profiles)
				}
				return sc.skipValue()
			})
		case key == "sources":
			err = sc.object(func(src string) error {
				start := l.line(sc.pos)
				if err := sc.skipValue(); err != nil {
					return err
				}
				l.sources[src] = lineRange{start, l.line(sc.pos - 1)}
				return nil
			})
		default:
			err = sc.skipValue()
		}
		if err != nil {
			return err
		}
		// The key's line through the end of its value.
		l.blocks[key] = lineRange{start, l.line(sc.pos - 1)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// lookup returns the lines of the entity a result is about. It tries, in
// order: the user, group, role or policy with that ARN; for the root user its
// credential report row; a credential report row or virtual MFA device with
// that ARN; an AWS CLI profile (awscli:profile/NAME) in aws_config. A named
// IAM entity that is still not found falls back to the
// "account" block. Account-level results (and resources without an ARN,
// like local files) point at the data block of the first source the check
// requires, or at that source's status entry when its data is absent, and
// otherwise at the "account" block. found is false when only the fallback
// applied.
func (l *locator) lookup(arn, resourceType string, requires []string) (r lineRange, found bool) {
	if r, ok := l.entities[arn]; ok {
		return r, true
	}
	if isRootARN(arn) {
		if r, ok := l.credRows[arn]; ok {
			return r, true
		}
		if l.hasRoot {
			return l.rootRow, true
		}
	}
	if r, ok := l.credRows[arn]; ok && resourceType != "AWS::Account" {
		return r, true
	}
	if r, ok := l.mfa[arn]; ok {
		return r, true
	}
	// Local AWS CLI profiles are named awscli:profile/<name>.
	if name, ok := strings.CutPrefix(arn, cliProfilePrefix); ok {
		if r, ok := l.profiles[name]; ok {
			return r, true
		}
	}
	// A named IAM entity that is not in the snapshot is not "the account":
	// fall back rather than point at an unrelated block.
	if isEntityARN(arn) && resourceType != "AWS::Account" {
		return l.fallback(), false
	}
	for _, src := range requires {
		if key, ok := sourceKeys[src]; ok {
			if r, ok := l.blocks[key]; ok {
				return r, true
			}
		}
		if r, ok := l.sources[src]; ok {
			return r, true
		}
	}
	if (resourceType == "AWS::Account" || isRootARN(arn)) && l.hasAcct {
		return l.account, true
	}
	return l.fallback(), false
}

// fallback is the account block, or line 1 when there is none.
func (l *locator) fallback() lineRange {
	if l != nil && l.hasAcct {
		return l.account
	}
	return lineRange{1, 1}
}

// isEntityARN matches ARNs naming something inside an account
// (arn:...:user/alice), not the account or its root user.
func isEntityARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[5] != "" && parts[5] != "root"
}

// isRootARN matches arn:<partition>:iam::<account>:root.
func isRootARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5] == "root"
}

// line converts a byte offset to a 1-based line number.
func (l *locator) line(off int) int {
	return 1 + sort.SearchInts(l.newlines, off)
}

// scanner walks JSON bytes, tracking the offset for line numbers.
type scanner struct {
	data []byte
	pos  int
	l    *locator
}

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("snapshot: line %d: %s", s.l.line(s.pos), fmt.Sprintf(format, args...))
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of the input.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

func (s *scanner) expect(c byte) error {
	switch got := s.peek(); {
	case got == c:
		s.pos++
		return nil
	case got == 0:
		return s.errorf("unexpected end of data, expected %q", c)
	default:
		return s.errorf("expected %q, found %q", c, got)
	}
}

// str reads a string token and returns its value.
func (s *scanner) str() (string, error) {
	if err := s.expect('"'); err != nil {
		return "", err
	}
	start, escaped := s.pos-1, false
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; {
		case c == '\\':
			escaped = true
			s.pos += 2
			continue
		case c == '"':
			s.pos++
			raw := s.data[start:s.pos]
			if !escaped {
				return string(raw[1 : len(raw)-1]), nil
			}
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				return "", s.errorf("bad string: %v", err)
			}
			return v, nil
		case c < 0x20:
			return "", s.errorf("control character in string")
		}
		s.pos++
	}
	return "", s.errorf("unexpected end of data in a string")
}

// skipValue skips one value, checking that brackets match.
func (s *scanner) skipValue() error {
	switch c := s.peek(); c {
	case 0:
		return s.errorf("unexpected end of data, expected a value")
	case '"':
		_, err := s.str()
		return err
	case '{', '[':
		var stack []byte
		for s.pos < len(s.data) {
			switch c := s.data[s.pos]; c {
			case '"':
				if _, err := s.str(); err != nil {
					return err
				}
				continue
			case '{', '[':
				stack = append(stack, c)
			case '}', ']':
				if len(stack) == 0 || (c == '}') != (stack[len(stack)-1] == '{') {
					return s.errorf("unexpected %q", c)
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					s.pos++
					return nil
				}
			}
			s.pos++
		}
		return s.errorf("unexpected end of data inside an object or array")
	case '}', ']', ',', ':':
		return s.errorf("unexpected %q, expected a value", c)
	}
	// A number, true, false or null.
	start := s.pos
	for s.pos < len(s.data) && !strings.ContainsRune(" \t\r\n,}]:", rune(s.data[s.pos])) {
		s.pos++
	}
	if s.pos == start {
		return s.errorf("expected a value")
	}
	return nil
}

// object reads an object, calling member with each key; member must consume
// the value.
func (s *scanner) object(member func(key string) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		key, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		s.ws()
		if err := member(key); err != nil {
			return err
		}
		switch c := s.peek(); c {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		case 0:
			return s.errorf("unexpected end of data in an object")
		default:
			return s.errorf("expected ',' or '}', found %q", c)
		}
	}
}

// array reads an array, calling elem for each element; elem must consume it.
// null is an empty array.
func (s *scanner) array(elem func() error) error {
	if s.peek() == 'n' {
		return s.skipValue()
	}
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch c := s.peek(); c {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		case 0:
			return s.errorf("unexpected end of data in an array")
		default:
			return s.errorf("expected ',' or ']', found %q", c)
		}
	}
}

// fields reads one value that should be an object, returning its line range
// and the string values of the wanted top-level fields. Any other value
// (null, a number...) is skipped and gives a zero range.
func (s *scanner) fields(want []string) (lineRange, map[string]string, error) {
	got := map[string]string{}
	if s.peek() != '{' {
		return lineRange{}, got, s.skipValue()
	}
	start := s.l.line(s.pos)
	err := s.object(func(key string) error {
		if contains(want, key) && s.peek() == '"' {
			v, err := s.str()
			got[key] = v
			return err
		}
		return s.skipValue()
	})
	if err != nil {
		return lineRange{}, nil, err
	}
	return lineRange{start, s.l.line(s.pos - 1)}, got, nil
}

// indexArray reads an array of objects, indexing each by its string field
// idField. The first occurrence of an ID wins.
func (s *scanner) indexArray(idField string, into map[string]lineRange) error {
	return s.array(func() error {
		r, f, err := s.fields([]string{idField})
		if err != nil {
			return err
		}
		if id := f[idField]; id != "" {
			if _, dup := into[id]; !dup {
				into[id] = r
			}
		}
		return nil
	})
}

// credentialReport indexes the report's rows by "arn" and finds the root
// user's row ("<root_account>").
func (s *scanner) credentialReport() error {
	if s.peek() != '{' {
		return s.skipValue()
	}
	l := s.l
	return s.object(func(key string) error {
		if key != "rows" {
			return s.skipValue()
		}
		return s.array(func() error {
			r, f, err := s.fields([]string{"arn", "user"})
			if err != nil {
				return err
			}
			if f["arn"] != "" {
				if _, dup := l.credRows[f["arn"]]; !dup {
					l.credRows[f["arn"]] = r
				}
			}
			if f["user"] == "<root_account>" && !l.hasRoot {
				l.rootRow, l.hasRoot = r, true
			}
			return nil
		})
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
