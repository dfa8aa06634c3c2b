package iamtest

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// signed sends a request with a SigV4-shaped Authorization header naming
// region and service (the server reads the credential scope, not the
// signature).
func signed(t *testing.T, method, u, region, service, contentType, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261127/"+region+"/"+service+"/aws4_request, SignedHeaders=host, Signature=00")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestListRegionsFiltersAndPages(t *testing.T) {
	s := NewServer(t, NewAccount("111122223333"))
	var names []string
	token := ""
	for pages := 0; ; pages++ {
		body := `{"MaxResults":5,"RegionOptStatusContains":["ENABLED","ENABLED_BY_DEFAULT"]`
		if token != "" {
			body += `,"NextToken":"` + token + `"`
		}
		resp, out := signed(t, "POST", s.URL+"/listRegions", "us-east-1", "account", "application/json", body+"}")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, out)
		}
		var page struct {
			NextToken string
			Regions   []struct{ RegionName, RegionOptStatus string }
		}
		if err := json.Unmarshal([]byte(out), &page); err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Regions {
			if r.RegionOptStatus != "ENABLED_BY_DEFAULT" {
				t.Errorf("filter ignored: %+v", r)
			}
			names = append(names, r.RegionName)
		}
		if token = page.NextToken; token == "" {
			if pages != 3 {
				t.Errorf("%d pages for 17 regions at 5 a page, want 4", pages+1)
			}
			break
		}
	}
	if len(names) != 17 {
		t.Errorf("%d regions: %v", len(names), names)
	}
	// Unfiltered, the disabled opt-in regions are listed too.
	_, out := signed(t, "POST", s.URL+"/listRegions", "us-east-1", "account", "application/json", `{"MaxResults":50}`)
	if !strings.Contains(out, `"DISABLED"`) {
		t.Errorf("unfiltered list without disabled regions: %s", out)
	}
	resp, out := signed(t, "POST", s.URL+"/listRegions", "us-east-1", "account", "application/json", `{"MaxResults":51}`)
	if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-Errortype") != "ValidationException" {
		t.Errorf("MaxResults 51: %d %s %s", resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), out)
	}
	if s.CountIn("ListRegions", "us-east-1") != 6 || s.Calls()[Call{"account", "ListRegions", "us-east-1"}] != 6 {
		t.Errorf("calls = %v", s.Calls())
	}
}

func TestRegionalServicesAnswerOnlyInEnabledRegions(t *testing.T) {
	s := NewServer(t, NewAccount("111122223333"))
	form := url.Values{"Action": {"DescribeInstances"}, "Version": {"2016-11-15"}, "MaxResults": {"1000"}}.Encode()
	resp, out := signed(t, "POST", s.URL+"/", "eu-west-1", "ec2", "application/x-www-form-urlencoded", form)
	if resp.StatusCode != 200 || !strings.Contains(out, "<DescribeInstancesResponse") || !strings.Contains(out, "<reservationSet>") {
		t.Errorf("enabled region: %d %s", resp.StatusCode, out)
	}
	resp, out = signed(t, "POST", s.URL+"/", "me-south-1", "ec2", "application/x-www-form-urlencoded", form)
	var e struct {
		Errors struct {
			Error struct{ Code, Message string }
		}
		RequestID string
	}
	if err := xml.Unmarshal([]byte(out), &e); err != nil || resp.StatusCode != 401 || e.Errors.Error.Code != "AuthFailure" || e.RequestID == "" {
		t.Errorf("disabled region: %d %+v (%v) %s", resp.StatusCode, e, err, out)
	}
	resp, out = signed(t, "GET", s.URL+"/analyzer", "me-south-1", "access-analyzer", "", "")
	if resp.StatusCode != 403 || resp.Header.Get("X-Amzn-Errortype") != "UnrecognizedClientException" {
		t.Errorf("analyzers in a disabled region: %d %s", resp.StatusCode, out)
	}
	s.DenyAccessIn("ListAnalyzers", "eu-west-1")
	resp, _ = signed(t, "GET", s.URL+"/analyzer", "eu-west-1", "access-analyzer", "", "")
	if resp.StatusCode != 403 || resp.Header.Get("X-Amzn-Errortype") != "AccessDeniedException" {
		t.Errorf("denied region: %d", resp.StatusCode)
	}
	resp, out = signed(t, "GET", s.URL+"/analyzer", "eu-west-2", "access-analyzer", "", "")
	if resp.StatusCode != 200 || out != `{"analyzers":[]}` {
		t.Errorf("another region: %d %s", resp.StatusCode, out)
	}
	if s.CountIn("DescribeInstances", "me-south-1") != 1 || s.CountIn("ListAnalyzers", "eu-west-1") != 1 || s.Count("ListAnalyzers") != 3 {
		t.Errorf("calls = %v", s.Calls())
	}
}
