package facts

import (
	"fmt"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The credential report's special values. None of them is a time.
const (
	InfoNA            = "N/A"
	InfoNoInformation = "no_information"
	InfoNotSupported  = "not_supported"
)

// CredentialReport is the parsed IAM credential report.
type CredentialReport struct {
	GeneratedTime *string                   `json:"generated_time"`
	Root          *CredentialRow            `json:"root"`  // the <root_account> row; null when absent
	Users         map[string]*CredentialRow `json:"users"` // IAM users by ARN
}

// CredentialRow is one parsed row. A time that the report does not give is
// null, and the special value AWS wrote instead is kept in the matching
// *_info field ("N/A", "no_information" or "not_supported").
type CredentialRow struct {
	User   string `json:"user"`
	ARN    string `json:"arn"`
	IsRoot bool   `json:"is_root"`
	Row    int    `json:"row"` // 1-based CSV line, header = 1

	UserCreationTime *string `json:"user_creation_time"`

	PasswordEnabled          *bool   `json:"password_enabled"`
	PasswordEnabledInfo      string  `json:"password_enabled_info,omitempty"`
	PasswordLastUsed         *string `json:"password_last_used"`
	PasswordLastUsedInfo     string  `json:"password_last_used_info,omitempty"`
	PasswordLastChanged      *string `json:"password_last_changed"`
	PasswordLastChangedInfo  string  `json:"password_last_changed_info,omitempty"`
	PasswordNextRotation     *string `json:"password_next_rotation"`
	PasswordNextRotationInfo string  `json:"password_next_rotation_info,omitempty"`

	MFAActive bool `json:"mfa_active"`

	AccessKeys []AccessKey `json:"access_keys"` // always key 1 then key 2
	Certs      []Cert      `json:"certs"`

	// ActiveAccessKeys counts the active access keys.
	ActiveAccessKeys int `json:"active_access_keys"`
	// LastUsed is the latest of password_last_used and the keys'
	// last_used_date; null when the report records no use.
	LastUsed *string `json:"last_used"`
}

// AccessKey is access key 1 or 2 of a row.
type AccessKey struct {
	N                int     `json:"n"`
	Active           bool    `json:"active"`
	LastRotated      *string `json:"last_rotated"`
	LastRotatedInfo  string  `json:"last_rotated_info,omitempty"`
	LastUsedDate     *string `json:"last_used_date"`
	LastUsedDateInfo string  `json:"last_used_date_info,omitempty"`
	LastUsedRegion   *string `json:"last_used_region"`
	LastUsedService  *string `json:"last_used_service"`
}

// Cert is X.509 signing certificate 1 or 2 of a row.
type Cert struct {
	N               int     `json:"n"`
	Active          bool    `json:"active"`
	LastRotated     *string `json:"last_rotated"`
	LastRotatedInfo string  `json:"last_rotated_info,omitempty"`
}

// RootUserName is the user column of the root row.
const RootUserName = "<root_account>"

// rowReader reads typed values from one CSV row, naming the row and column
// in errors.
type rowReader struct {
	line   int
	who    string
	values map[string]string // lower-cased column -> value
}

func (r *rowReader) errorf(col, format string, args ...any) error {
	return fmt.Errorf("credential report line %d (%s) column %s: %s", r.line, r.who, col, fmt.Sprintf(format, args...))
}

func (r *rowReader) raw(col string) (string, bool) {
	v, ok := r.values[col]
	return strings.TrimSpace(v), ok
}

// boolean reads a TRUE/FALSE column (any case). allowed lists the special
// values accepted instead, which yield a nil bool.
func (r *rowReader) boolean(col string, required bool, allowed ...string) (*bool, string, error) {
	v, ok := r.raw(col)
	if !ok {
		if required {
			return nil, "", r.errorf(col, "column missing")
		}
		return nil, "", nil
	}
	switch strings.ToLower(v) {
	case "true":
		return boolPtr(true), "", nil
	case "false":
		return boolPtr(false), "", nil
	}
	for _, a := range allowed {
		if v == a {
			return nil, v, nil
		}
	}
	return nil, "", r.errorf(col, "%q is not a boolean", v)
}

// timestamp reads an ISO 8601 time or one of the allowed special values.
func (r *rowReader) timestamp(col string, required bool, allowed ...string) (*string, string, error) {
	v, ok := r.raw(col)
	if !ok {
		if required {
			return nil, "", r.errorf(col, "column missing")
		}
		return nil, "", nil
	}
	for _, a := range allowed {
		if v == a {
			return nil, v, nil
		}
	}
	t, err := parseTime(v)
	if err != nil {
		return nil, "", r.errorf(col, "%q is neither a time nor one of %s", v, strings.Join(allowed, ", "))
	}
	s := t.UTC().Format(time.RFC3339)
	return &s, "", nil
}

// text reads a free-text column; "N/A" and "" are null.
func (r *rowReader) text(col string) *string {
	v, ok := r.raw(col)
	if !ok || v == "" || v == InfoNA {
		return nil
	}
	return &v
}

func parseTime(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", v)
}

// rowProblem is one credential report row that could not be used.
type rowProblem struct {
	line int
	user string // the row's user column, when present
	arn  string // the row's ARN, when present
	err  error
}

// parseCredentialReport parses every row on its own: a row with one
// unexpected cell is left out and reported, and the other rows are kept.
func parseCredentialReport(in *snapshot.CredentialReport) (*CredentialReport, []rowProblem) {
	out := &CredentialReport{Users: map[string]*CredentialRow{}}
	if !in.GeneratedTime.IsZero() {
		s := in.GeneratedTime.UTC().Format(time.RFC3339)
		out.GeneratedTime = &s
	}
	var problems []rowProblem
	for i, raw := range in.Rows {
		// Header names are matched case-insensitively: AWS writes "user",
		// some emulators "User".
		values := make(map[string]string, len(raw))
		for k, v := range raw {
			values[strings.ToLower(strings.TrimSpace(k))] = v
		}
		r := &rowReader{line: i + 2, values: values}
		user, _ := r.raw("user")
		arn, _ := r.raw("arn")
		row, err := parseRow(r)
		if err != nil {
			problems = append(problems, rowProblem{line: r.line, user: user, arn: arn, err: err})
			continue
		}
		if row.IsRoot {
			if out.Root != nil {
				problems = append(problems, rowProblem{line: r.line, user: user, arn: arn,
					err: fmt.Errorf("credential report line %d: a second %s row (first on line %d)", r.line, RootUserName, out.Root.Row)})
				continue
			}
			out.Root = row
			continue
		}
		if prev, dup := out.Users[row.ARN]; dup {
			problems = append(problems, rowProblem{line: r.line, user: user, arn: arn,
				err: fmt.Errorf("credential report line %d (%s): user ARN %s also on line %d", r.line, row.User, row.ARN, prev.Row)})
			continue
		}
		out.Users[row.ARN] = row
	}
	return out, problems
}

func parseRow(r *rowReader) (*CredentialRow, error) {
	user, _ := r.raw("user")
	arn, ok := r.raw("arn")
	r.who = user
	if !ok || arn == "" {
		return nil, r.errorf("arn", "missing user ARN")
	}
	if user == "" {
		r.who = arn
	}
	row := &CredentialRow{User: user, ARN: arn, Row: r.line}
	row.IsRoot = user == RootUserName || strings.HasSuffix(arn, ":root")
	var err error
	if row.UserCreationTime, _, err = r.timestamp("user_creation_time", false, InfoNA); err != nil {
		return nil, err
	}
	if row.PasswordEnabled, row.PasswordEnabledInfo, err = r.boolean("password_enabled", true, InfoNotSupported); err != nil {
		return nil, err
	}
	if row.PasswordLastUsed, row.PasswordLastUsedInfo, err = r.timestamp("password_last_used", true, InfoNA, InfoNoInformation); err != nil {
		return nil, err
	}
	if row.PasswordLastChanged, row.PasswordLastChangedInfo, err = r.timestamp("password_last_changed", false, InfoNA, InfoNotSupported); err != nil {
		return nil, err
	}
	if row.PasswordNextRotation, row.PasswordNextRotationInfo, err = r.timestamp("password_next_rotation", false, InfoNA, InfoNotSupported); err != nil {
		return nil, err
	}
	mfa, _, err := r.boolean("mfa_active", true)
	if err != nil {
		return nil, err
	}
	row.MFAActive = *mfa
	for n := 1; n <= 2; n++ {
		p := fmt.Sprintf("access_key_%d_", n)
		k := AccessKey{N: n}
		active, _, err := r.boolean(p+"active", true)
		if err != nil {
			return nil, err
		}
		k.Active = *active
		if k.LastRotated, k.LastRotatedInfo, err = r.timestamp(p+"last_rotated", true, InfoNA); err != nil {
			return nil, err
		}
		if k.LastUsedDate, k.LastUsedDateInfo, err = r.timestamp(p+"last_used_date", true, InfoNA); err != nil {
			return nil, err
		}
		k.LastUsedRegion = r.text(p + "last_used_region")
		k.LastUsedService = r.text(p + "last_used_service")
		if k.Active {
			row.ActiveAccessKeys++
		}
		row.AccessKeys = append(row.AccessKeys, k)
	}
	for n := 1; n <= 2; n++ {
		p := fmt.Sprintf("cert_%d_", n)
		c := Cert{N: n}
		active, _, err := r.boolean(p+"active", false)
		if err != nil {
			return nil, err
		}
		c.Active = active != nil && *active
		if c.LastRotated, c.LastRotatedInfo, err = r.timestamp(p+"last_rotated", false, InfoNA); err != nil {
			return nil, err
		}
		row.Certs = append(row.Certs, c)
	}
	row.LastUsed = latest(append([]*string{row.PasswordLastUsed}, row.AccessKeys[0].LastUsedDate, row.AccessKeys[1].LastUsedDate)...)
	return row, nil
}

// latest returns the latest of RFC 3339 UTC times (which sort as strings).
func latest(ts ...*string) *string {
	var out *string
	for _, t := range ts {
		if t != nil && (out == nil || *t > *out) {
			out = t
		}
	}
	return out
}
