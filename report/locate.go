package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
	blocks   map[string]lineRange // top-level source blocks by source name
	sources  map[string]lineRange // entries of the "sources" status map
	newlines []int
}

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

// newLocator indexes data. A snapshot that cannot be tokenised gives an error
// naming the byte offset; callers then fall back to line 1.
func newLocator(data []byte) (*locator, error) {
	l := &locator{
		entities: map[string]lineRange{},
		credRows: map[string]lineRange{},
		mfa:      map[string]lineRange{},
		blocks:   map[string]lineRange{},
		sources:  map[string]lineRange{},
	}
	for i, b := range data {
		if b == '\n' {
			l.newlines = append(l.newlines, i)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, l.errAt(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("snapshot: line 1: expected a JSON object")
	}
	for dec.More() {
		key, err := l.key(dec)
		if err != nil {
			return nil, err
		}
		start := l.line(int(dec.InputOffset()))
		switch {
		case key == "account":
			r, _, err := l.object(dec, nil)
			if err != nil {
				return nil, err
			}
			if r.Start > 0 {
				l.account, l.hasAcct = r, true
			}
		case entityLists[key]:
			if err := l.array(dec, "arn", l.entities); err != nil {
				return nil, err
			}
		case key == "virtual_mfa_devices":
			if err := l.array(dec, "serial_number", l.mfa); err != nil {
				return nil, err
			}
		case key == "credential_report":
			if err := l.credentialReport(dec); err != nil {
				return nil, err
			}
		case key == "sources":
			if err := l.sourceStatuses(dec); err != nil {
				return nil, err
			}
		default:
			if err := skip(dec); err != nil {
				return nil, l.errAt(dec, err)
			}
		}
		// The key's line through the end of its value.
		l.blocks[key] = lineRange{start, l.line(int(dec.InputOffset()) - 1)}
	}
	return l, nil
}

// sourceStatuses records the lines of each entry of the "sources" map.
func (l *locator) sourceStatuses(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return l.errAt(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		if ok {
			return l.errAt(dec, skipRest(dec))
		}
		return nil
	}
	for dec.More() {
		key, err := l.key(dec)
		if err != nil {
			return err
		}
		start := l.line(int(dec.InputOffset()))
		if err := skip(dec); err != nil {
			return l.errAt(dec, err)
		}
		l.sources[key] = lineRange{start, l.line(int(dec.InputOffset()) - 1)}
	}
	_, err = dec.Token()
	return l.errAt(dec, err)
}

// lookup returns the lines of the entity a result is about. It tries, in
// order: the user, group, role or policy with that ARN; for the root user its
// credential report row; a credential report row or virtual MFA device with
// that ARN. A named entity that is still not found falls back to the
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

func (l *locator) credentialReport(dec *json.Decoder) error {
	if err := l.expect(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		key, err := l.key(dec)
		if err != nil {
			return err
		}
		if key != "rows" {
			if err := skip(dec); err != nil {
				return l.errAt(dec, err)
			}
			continue
		}
		tok, err := dec.Token()
		if err != nil {
			return l.errAt(dec, err)
		}
		if tok == nil { // "rows": null
			continue
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return fmt.Errorf("snapshot: line %d: credential_report.rows is not an array", l.line(int(dec.InputOffset())))
		}
		for dec.More() {
			r, fields, err := l.object(dec, []string{"arn", "user"})
			if err != nil {
				return err
			}
			if fields["arn"] != "" {
				l.credRows[fields["arn"]] = r
			}
			if fields["user"] == "<root_account>" && !l.hasRoot {
				l.rootRow, l.hasRoot = r, true
			}
		}
		if _, err := dec.Token(); err != nil { // ']'
			return l.errAt(dec, err)
		}
	}
	_, err := dec.Token() // '}'
	return l.errAt(dec, err)
}

// array reads an array of objects, indexing each by the string field idField.
func (l *locator) array(dec *json.Decoder, idField string, into map[string]lineRange) error {
	tok, err := dec.Token()
	if err != nil {
		return l.errAt(dec, err)
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("snapshot: line %d: expected an array", l.line(int(dec.InputOffset())))
	}
	for dec.More() {
		r, fields, err := l.object(dec, []string{idField})
		if err != nil {
			return err
		}
		// The first occurrence wins; the snapshot should not repeat ARNs.
		if id := fields[idField]; id != "" {
			if _, dup := into[id]; !dup {
				into[id] = r
			}
		}
	}
	_, err = dec.Token()
	return l.errAt(dec, err)
}

// object reads one value that should be an object, returning its line range
// and the string values of the wanted top-level fields. A null or non-object
// value gives a zero range.
func (l *locator) object(dec *json.Decoder, want []string) (lineRange, map[string]string, error) {
	fields := map[string]string{}
	tok, err := dec.Token()
	if err != nil {
		return lineRange{}, nil, l.errAt(dec, err)
	}
	d, ok := tok.(json.Delim)
	if !ok || d != '{' {
		if ok { // an array where an object was expected: consume it
			if err := skipRest(dec); err != nil {
				return lineRange{}, nil, l.errAt(dec, err)
			}
		}
		return lineRange{}, fields, nil
	}
	start := l.line(int(dec.InputOffset()) - 1)
	for dec.More() {
		key, err := l.key(dec)
		if err != nil {
			return lineRange{}, nil, err
		}
		if contains(want, key) {
			tok, err := dec.Token()
			if err != nil {
				return lineRange{}, nil, l.errAt(dec, err)
			}
			switch v := tok.(type) {
			case string:
				fields[key] = v
			case json.Delim:
				if err := skipRest(dec); err != nil {
					return lineRange{}, nil, l.errAt(dec, err)
				}
			}
			continue
		}
		if err := skip(dec); err != nil {
			return lineRange{}, nil, l.errAt(dec, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return lineRange{}, nil, l.errAt(dec, err)
	}
	end := l.line(int(dec.InputOffset()) - 1)
	return lineRange{start, end}, fields, nil
}

func (l *locator) key(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", l.errAt(dec, err)
	}
	k, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("snapshot: line %d: expected an object key", l.line(int(dec.InputOffset())))
	}
	return k, nil
}

func (l *locator) expect(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return l.errAt(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("snapshot: line %d: expected %q", l.line(int(dec.InputOffset())), string(want))
	}
	return nil
}

// line converts a byte offset to a 1-based line number.
func (l *locator) line(off int) int {
	return 1 + sort.SearchInts(l.newlines, off)
}

func (l *locator) errAt(dec *json.Decoder, err error) error {
	if err == nil {
		return nil
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("snapshot: line %d: %w", l.line(int(dec.InputOffset())), err)
}

// skip consumes one complete JSON value.
func skip(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if _, ok := tok.(json.Delim); ok {
		return skipRest(dec)
	}
	return nil
}

// skipRest consumes the remainder of an object or array whose opening
// delimiter has just been read.
func skipRest(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
