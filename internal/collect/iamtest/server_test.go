package iamtest

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func post(t *testing.T, s *Server, form url.Values) (int, string) {
	t.Helper()
	if form.Get("Version") == "" {
		form.Set("Version", "2010-05-08")
	}
	resp, err := http.PostForm(s.URL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Error   struct {
		Type, Code, Message string
	}
	RequestID string `xml:"RequestId"`
}

func TestErrorShapeAndStatus(t *testing.T) {
	s := NewServer(t, NewAccount("111122223333"))
	s.DenyAccess("GetAccountSummary")
	for _, tc := range []struct {
		action, code string
		status       int
	}{
		{"GetAccountSummary", "AccessDenied", 403},
		{"GetAccountPasswordPolicy", "NoSuchEntity", 404},
		{"CreateUser", "InvalidAction", 400},
	} {
		status, body := post(t, s, url.Values{"Action": {tc.action}})
		var e errorResponse
		if err := xml.Unmarshal([]byte(body), &e); err != nil {
			t.Fatalf("%s: %v in %s", tc.action, err, body)
		}
		if status != tc.status || e.Error.Code != tc.code || e.Error.Type != "Sender" || e.Error.Message == "" || e.RequestID == "" {
			t.Errorf("%s: status %d error %+v, want %d %s", tc.action, status, e, tc.status, tc.code)
		}
	}
	if s.Count("GetAccountSummary") != 1 || s.Count("CreateUser") != 1 || s.Total() != 3 {
		t.Errorf("counts = %v", s.Counts())
	}
}

func TestFaultsExpire(t *testing.T) {
	s := NewServer(t, NewAccount("111122223333"))
	s.Throttle("GetAccountSummary", 2)
	var codes []int
	for i := 0; i < 3; i++ {
		status, _ := post(t, s, url.Values{"Action": {"GetAccountSummary"}})
		codes = append(codes, status)
	}
	if codes[0] != 400 || codes[1] != 400 || codes[2] != 200 {
		t.Errorf("statuses = %v, want 400 400 200", codes)
	}
}

type authPage struct {
	Result struct {
		Users    []string `xml:"UserDetailList>member>UserName"`
		Groups   []string `xml:"GroupDetailList>member>GroupName"`
		Roles    []string `xml:"RoleDetailList>member>RoleName"`
		Policies []string `xml:"Policies>member>Arn"`
		Docs     []string `xml:"Policies>member>PolicyVersionList>member>Document"`
		Trunc    bool     `xml:"IsTruncated"`
		Marker   string
	} `xml:"GetAccountAuthorizationDetailsResult"`
}

func TestAuthorizationDetailsPagingAndFilters(t *testing.T) {
	a := GenerateAccount("111122223333", 250)
	s := NewServer(t, a)
	var users []string
	marker := ""
	pages := 0
	for {
		f := url.Values{"Action": {"GetAccountAuthorizationDetails"}, "Filter.member.1": {"User"}, "MaxItems": {"100"}}
		if marker != "" {
			f.Set("Marker", marker)
		}
		status, body := post(t, s, f)
		var p authPage
		if err := xml.Unmarshal([]byte(body), &p); err != nil || status != 200 {
			t.Fatalf("page %d: %d %v %s", pages, status, err, body)
		}
		pages++
		users = append(users, p.Result.Users...)
		if len(p.Result.Groups)+len(p.Result.Roles)+len(p.Result.Policies) != 0 {
			t.Errorf("filter User returned other entities")
		}
		if !p.Result.Trunc {
			break
		}
		marker = p.Result.Marker
	}
	if pages != 3 || len(users) != 250 || users[249] != "user00249" {
		t.Errorf("pages=%d users=%d", pages, len(users))
	}

	_, body := post(t, s, url.Values{"Action": {"GetAccountAuthorizationDetails"}, "Filter.member.1": {"AWSManagedPolicy"}})
	var p authPage
	if err := xml.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Result.Policies, " ") != "arn:aws:iam::aws:policy/AdministratorAccess arn:aws:iam::aws:policy/ReadOnlyAccess" {
		t.Errorf("AWS managed policies in use = %v", p.Result.Policies)
	}
	for _, d := range p.Result.Docs {
		if strings.ContainsAny(d, `{}":`) {
			t.Errorf("document not URL-encoded: %s", d)
		}
	}

	for _, bad := range []url.Values{
		{"Action": {"GetAccountAuthorizationDetails"}, "MaxItems": {"1001"}},
		{"Action": {"GetAccountAuthorizationDetails"}, "Marker": {"bogus"}},
		{"Action": {"GetAccountAuthorizationDetails"}, "Filter.member.1": {"Users"}},
	} {
		if status, body := post(t, s, bad); status != 400 || !strings.Contains(body, "ValidationError") {
			t.Errorf("%v: %d %s", bad, status, body)
		}
	}
}

func TestEncodeDocumentRoundTrip(t *testing.T) {
	doc := `{"Statement":[{"Resource":"arn:aws:s3:::a+b/c d/*","Condition":{"StringEquals":{"k":"50%~é"}}}]}`
	enc := EncodeDocument([]byte(doc))
	if strings.ContainsAny(enc, `{}" +:`) {
		t.Errorf("not encoded: %s", enc)
	}
	if !strings.Contains(enc, "%2B") || !strings.Contains(enc, "%20") {
		t.Errorf("plus or space not percent-encoded: %s", enc)
	}
	dec, err := url.PathUnescape(enc)
	if err != nil || dec != doc {
		t.Errorf("round trip = %q, %v", dec, err)
	}
	got, err := snapshot.NormalizeDocument(enc)
	if err != nil || !strings.Contains(string(got), "a+b/c d/*") {
		t.Errorf("NormalizeDocument = %s, %v", got, err)
	}
}

func TestCredentialReportStates(t *testing.T) {
	s := NewServer(t, GenerateAccount("111122223333", 1))
	s.ReportGenerating(2)
	if status, body := post(t, s, url.Values{"Action": {"GetCredentialReport"}}); status != 410 || !strings.Contains(body, "ReportNotPresent") {
		t.Errorf("before generation: %d %s", status, body)
	}
	var states []string
	for i := 0; i < 3; i++ {
		_, body := post(t, s, url.Values{"Action": {"GenerateCredentialReport"}})
		var r struct {
			State string `xml:"GenerateCredentialReportResult>State"`
		}
		_ = xml.Unmarshal([]byte(body), &r)
		states = append(states, r.State)
		if i == 0 {
			if status, body := post(t, s, url.Values{"Action": {"GetCredentialReport"}}); status != 404 || !strings.Contains(body, "ReportInProgress") {
				t.Errorf("while generating: %d %s", status, body)
			}
		}
	}
	if strings.Join(states, ",") != "STARTED,INPROGRESS,COMPLETE" {
		t.Errorf("states = %v", states)
	}
	if status, body := post(t, s, url.Values{"Action": {"GetCredentialReport"}}); status != 200 || !strings.Contains(body, "<ReportFormat>text/csv</ReportFormat>") {
		t.Errorf("after generation: %d %s", status, body)
	}
}

func TestSTS(t *testing.T) {
	a := NewAccount("111122223333")
	s := NewServer(t, a)
	status, body := post(t, s, url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
	if status != 200 || !strings.Contains(body, `xmlns="https://sts.amazonaws.com/doc/2011-06-15/"`) || !strings.Contains(body, "<Arn>"+a.CallerARN+"</Arn>") {
		t.Errorf("GetCallerIdentity: %d %s", status, body)
	}
}

func TestStalls(t *testing.T) {
	s := NewServer(t, GenerateAccount("111122223333", 2))
	s.SetStall("GetAccountSummary", StallNoAnswer)
	s.SetStall("ListRoles", StallBody)
	client := &http.Client{Timeout: 100 * time.Millisecond}
	form := url.Values{"Version": {"2010-05-08"}, "Action": {"GetAccountSummary"}}
	if resp, err := client.PostForm(s.URL, form); err == nil {
		resp.Body.Close()
		t.Fatalf("StallNoAnswer answered: %s", resp.Status)
	}
	form.Set("Action", "ListRoles")
	resp, err := client.PostForm(s.URL, form)
	if err != nil {
		t.Fatalf("StallBody sent no headers: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || resp.StatusCode != 200 || !strings.HasPrefix(string(body), "<ListRolesResponse") {
		t.Errorf("StallBody: status %d, body %q, read error %v; want the start of a body, then a stalled read", resp.StatusCode, body, err)
	}
	if s.Count("GetAccountSummary") != 1 || s.Count("ListRoles") != 1 {
		t.Errorf("counts = %v", s.Counts())
	}
	// Other actions still answer.
	if status, _ := post(t, s, url.Values{"Action": {"ListAccountAliases"}}); status != 200 {
		t.Errorf("ListAccountAliases: %d", status)
	}
}

func TestPageEndless(t *testing.T) {
	s := NewServer(t, GenerateAccount("111122223333", 3))
	s.BreakPages("ListRoles", PageEndless)
	seen := map[string]bool{}
	form := url.Values{"Action": {"ListRoles"}, "MaxItems": {"8"}}
	for i := 0; i < 6; i++ { // 20 roles: pages of 8, 8, 4, then again
		status, body := post(t, s, form)
		var r struct {
			IsTruncated bool   `xml:"ListRolesResult>IsTruncated"`
			Marker      string `xml:"ListRolesResult>Marker"`
		}
		if err := xml.Unmarshal([]byte(body), &r); err != nil || status != 200 {
			t.Fatalf("page %d: %d %v %s", i, status, err, body)
		}
		if !r.IsTruncated || r.Marker == "" || seen[r.Marker] {
			t.Fatalf("page %d: truncated=%v marker=%q (seen before: %v); want a new marker on every page", i, r.IsTruncated, r.Marker, seen[r.Marker])
		}
		seen[r.Marker] = true
		form.Set("Marker", r.Marker)
	}
}

func TestEchoCredentials(t *testing.T) {
	s := NewServer(t, NewAccount("111122223333"))
	s.EchoCredentials("GetCallerIdentity")
	req, _ := http.NewRequest("POST", s.URL, strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15&WebIdentityToken=tok"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Signature=abc")
	req.Header.Set("X-Amz-Security-Token", "sess")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"Signature=abc", "X-Amz-Security-Token: sess", "WebIdentityToken=tok", "InvalidRequest"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body %s does not quote %q", body, want)
		}
	}
}
