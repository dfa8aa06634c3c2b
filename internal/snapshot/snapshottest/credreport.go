package snapshottest

import (
	"bytes"
	"encoding/csv"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// CredentialReportColumns is the credential report header in AWS's order
// (the documented 22 columns).
var CredentialReportColumns = []string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
	"password_last_changed", "password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
	"access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
	"access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

// CRTime formats a time as the credential report writes it.
func CRTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// EmptyRow is a credential report row for a principal without password,
// MFA, access keys or certificates. Set the columns that differ.
func EmptyRow(user, arn string, created time.Time) map[string]string {
	r := make(map[string]string, len(CredentialReportColumns))
	for _, c := range CredentialReportColumns {
		r[c] = "N/A"
	}
	r["user"], r["arn"], r["user_creation_time"] = user, arn, CRTime(created)
	for _, c := range []string{"password_enabled", "mfa_active", "access_key_1_active", "access_key_2_active", "cert_1_active", "cert_2_active"} {
		r[c] = "false"
	}
	return r
}

// RootRow is the root user's row of account id as IAM writes it: the
// password columns are "not_supported"; no MFA, keys or certificates and
// password_last_used "N/A" until the caller sets them.
func RootRow(accountID string, created time.Time) map[string]string {
	r := EmptyRow("<root_account>", "arn:aws:iam::"+accountID+":root", created)
	r["password_enabled"], r["password_last_changed"], r["password_next_rotation"] = "not_supported", "not_supported", "not_supported"
	return r
}

// CredentialReportCSV is cr as GetCredentialReport serves it: the header,
// then one record per row in the order of cr.Columns.
func CredentialReportCSV(cr *snapshot.CredentialReport) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(cr.Columns)
	for _, row := range cr.Rows {
		rec := make([]string, len(cr.Columns))
		for i, c := range cr.Columns {
			rec[i] = row[c]
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

// ReportFromLines is a credential report whose rows are written as lines of
// its CSV (comma-separated, no quoting) under columns, generated an hour
// before PatternedAt. A line with fewer fields than columns panics.
func ReportFromLines(columns []string, lines ...string) *snapshot.CredentialReport {
	cr := &snapshot.CredentialReport{Columns: append([]string(nil), columns...), GeneratedTime: PatternedAt.Add(-time.Hour)}
	for _, l := range lines {
		vals := strings.Split(l, ",")
		row := make(map[string]string, len(columns))
		for i, c := range columns {
			row[c] = vals[i]
		}
		cr.Rows = append(cr.Rows, row)
	}
	return cr
}
