package collect

import (
	"errors"
	"strings"
	"testing"
)

const reportHeader = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated"

// Example rows from the credential report documentation facts.
const reportRows = `<root_account>,arn:aws:iam::111122223333:root,2015-06-24T12:45:00+00:00,not_supported,2016-10-07T14:30:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
carol,arn:aws:iam::111122223333:user/carol,2022-07-01T00:00:00+00:00,true,no_information,2022-07-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`

func TestParseCredentialReport(t *testing.T) {
	rep, err := parseCredentialReport([]byte(reportHeader + "\n" + reportRows))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Columns) != 22 || rep.Columns[0] != "user" || rep.Columns[21] != "cert_2_last_rotated" {
		t.Errorf("columns = %v", rep.Columns)
	}
	if len(rep.Rows) != 2 {
		t.Fatalf("rows = %d", len(rep.Rows))
	}
	root, carol := rep.Rows[0], rep.Rows[1]
	if root["password_enabled"] != "not_supported" || root["password_last_used"] != "2016-10-07T14:30:00+00:00" {
		t.Errorf("root = %v", root)
	}
	if carol["password_last_used"] != "no_information" || carol["password_next_rotation"] != "N/A" || carol["mfa_active"] != "false" {
		t.Errorf("carol = %v", carol)
	}
}

func TestParseCredentialReportByHeaderName(t *testing.T) {
	// Columns in another order, an extra column, CRLF line ends, a quoted value.
	csv := "arn,user,mfa_active,future_column\r\narn:aws:iam::111122223333:user/bob,bob,TRUE,\"a,b\"\r\n"
	rep, err := parseCredentialReport([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	row := rep.Rows[0]
	if row["user"] != "bob" || row["arn"] != "arn:aws:iam::111122223333:user/bob" || row["mfa_active"] != "TRUE" || row["future_column"] != "a,b" {
		t.Errorf("row = %v", row)
	}
}

func TestParseCredentialReportMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, csv, want string
		rows            int
	}{
		{"empty", "  \n", "empty", 0},
		{"no arn column", "user,password_enabled\nbob,true\n", `no "arn" column`, 0},
		{"duplicate column", "user,arn,user\nbob,x,y\n", `"user" appears twice`, 0},
		{"unnamed column", "user,,arn\nbob,x,y\n", "column 2 has no name", 0},
		{"short row", reportHeader + "\n" + reportRows + "dave,arn:aws:iam::111122223333:user/dave,true\n", "line 4", 2},
		{"bare quote", reportHeader + "\n" + strings.Replace(reportRows, "carol,", "ca\"rol,", 1), "line 3", 1},
		{"unterminated quote", "user,arn\n\"bob,arn:aws:iam::111122223333:user/bob\n", "line 2", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := parseCredentialReport([]byte(tc.csv))
			var se *sourceError
			if !errors.As(err, &se) || se.code != "MalformedCredentialReport" {
				t.Fatalf("err = %v, want MalformedCredentialReport", err)
			}
			if !strings.Contains(se.msg, tc.want) {
				t.Errorf("message %q does not mention %q", se.msg, tc.want)
			}
			got := 0
			if rep != nil {
				got = len(rep.Rows)
			}
			if got != tc.rows {
				t.Errorf("kept %d rows, want %d", got, tc.rows)
			}
		})
	}
}

func TestSortReportRows(t *testing.T) {
	rows := []map[string]string{
		{"user": "zed", "arn": "arn:aws:iam::1:user/zed"},
		{"user": "<root_account>", "arn": "arn:aws:iam::1:root"},
		{"user": "amy", "arn": "arn:aws:iam::1:user/amy"},
	}
	sortReportRows(rows)
	if rows[0]["user"] != "<root_account>" || rows[1]["user"] != "amy" || rows[2]["user"] != "zed" {
		t.Errorf("order = %v", rows)
	}
}
