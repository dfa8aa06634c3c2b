package snapshottest

import (
	"strings"
	"testing"
	"time"
)

func TestReportRowsRoundTripThroughCSV(t *testing.T) {
	root := RootRow("111122223333", time.Date(2015, 6, 24, 12, 45, 0, 0, time.UTC))
	alice := EmptyRow("alice", "arn:aws:iam::111122223333:user/alice", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	alice["password_enabled"], alice["password_last_used"] = "true", CRTime(time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("x", 3600)))
	lines := []string{
		"<root_account>,arn:aws:iam::111122223333:root,2015-06-24T12:45:00+00:00,not_supported,N/A,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
		"alice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00,true,2024-05-01T11:00:00+00:00,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
	}
	cr := ReportFromLines(CredentialReportColumns, lines...)
	for i, want := range []map[string]string{root, alice} {
		for _, c := range CredentialReportColumns {
			if cr.Rows[i][c] != want[c] {
				t.Errorf("row %d %s: lines give %q, the builder %q", i, c, cr.Rows[i][c], want[c])
			}
		}
	}
	want := strings.Join(append([]string{strings.Join(CredentialReportColumns, ",")}, lines...), "\n") + "\n"
	if got := string(CredentialReportCSV(cr)); got != want {
		t.Errorf("CSV:\n%s\nwant\n%s", got, want)
	}
}
