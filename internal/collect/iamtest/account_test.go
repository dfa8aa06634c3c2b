package iamtest

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// TestGenerateAccountServesSample: the generated account is the fixture,
// and the report built from its users is the fixture's report.
func TestGenerateAccountServesSample(t *testing.T) {
	const id = "111122223333"
	a := GenerateAccount(id, 23)
	s := snapshottest.Sample(id, 23)
	if !reflect.DeepEqual(a.Users, s.Users) || !reflect.DeepEqual(a.Groups, s.Groups) || !reflect.DeepEqual(a.Roles, s.Roles) ||
		!reflect.DeepEqual(a.Policies, s.Policies) || !reflect.DeepEqual(a.MFADevices, s.VirtualMFADevices) {
		t.Error("GenerateAccount differs from snapshottest.Sample")
	}
	if a.CallerARN != s.Caller.ARN || a.CallerUserID != s.Caller.UserID || !a.ReportGenerated.Equal(s.CredentialReport.GeneratedTime) {
		t.Errorf("caller %s %s, report at %s", a.CallerARN, a.CallerUserID, a.ReportGenerated)
	}
	if got, want := a.BuildCredentialReport(), snapshottest.CredentialReportCSV(s.CredentialReport); !bytes.Equal(got, want) {
		t.Errorf("credential report:\n%s\nwant\n%s", got, want)
	}
	// The report follows the users a test adds.
	a.Users = append(a.Users, snapshot.User{Name: "late", ARN: "arn:aws:iam::" + id + ":user/late"})
	if !bytes.Contains(a.BuildCredentialReport(), []byte("\nlate,arn:aws:iam::"+id+":user/late,")) {
		t.Error("a user added to the account is not in its credential report")
	}
}

// inXML is s as it reads back from an XML document: XML 1.0 cannot carry
// control characters other than tab, line feed and carriage return, and the
// encoder writes U+FFFD instead (IAM names cannot contain them either; only
// the hostile fixture has them).
func inXML(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return '\uFFFD'
		}
		return r
	}, s)
}

// TestServesEveryFixture replays each of the guide's scenarios through the
// server: the authorization details list the fixture's entities and the
// credential report is the fixture's, byte for byte.
func TestServesEveryFixture(t *testing.T) {
	for _, sc := range snapshottest.Scenarios() {
		t.Run(sc.Path, func(t *testing.T) {
			fix := snapshottest.Fixture(sc.Path)
			srv := NewServer(t, FromSnapshot(fix))
			_, body := post(t, srv, url.Values{"Action": {"GetAccountAuthorizationDetails"}, "MaxItems": {"1000"}})
			var p authPage
			if err := xml.Unmarshal([]byte(body), &p); err != nil {
				t.Fatalf("%v in %s", err, body)
			}
			var users, groups, roles, policies []string
			for _, u := range fix.Users {
				users = append(users, inXML(u.Name))
			}
			for _, g := range fix.Groups {
				groups = append(groups, inXML(g.Name))
			}
			for _, r := range fix.Roles {
				roles = append(roles, inXML(r.Name))
			}
			for _, pol := range fix.Policies {
				policies = append(policies, inXML(pol.ARN))
			}
			for _, c := range []struct {
				kind      string
				got, want []string
			}{{"users", p.Result.Users, users}, {"groups", p.Result.Groups, groups}, {"roles", p.Result.Roles, roles}, {"policies", p.Result.Policies, policies}} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s: served %q, fixture has %q", c.kind, c.got, c.want)
				}
			}
			if p.Result.Trunc {
				t.Error("one page of 1000 items is truncated")
			}
			var report struct {
				Content string `xml:"GetCredentialReportResult>Content"`
			}
			for i := 0; i < 10 && report.Content == ""; i++ {
				post(t, srv, url.Values{"Action": {"GenerateCredentialReport"}})
				_, body = post(t, srv, url.Values{"Action": {"GetCredentialReport"}})
				_ = xml.Unmarshal([]byte(body), &report)
			}
			csv, err := base64.StdEncoding.DecodeString(report.Content)
			if err != nil {
				t.Fatal(err)
			}
			if want := snapshottest.CredentialReportCSV(fix.CredentialReport); !bytes.Equal(csv, want) {
				t.Errorf("credential report:\n%s\nwant\n%s", csv, want)
			}
		})
	}
}
