package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// timedActions are allowed to bob only at some times, by conditions on
// aws:CurrentTime and aws:EpochTime.
var timedActions = []string{"s3:GetObject", "ec2:DescribeInstances", "sqs:ListQueues", "sns:ListTopics"}

// timedAccount is the guide's account plus bob, whose inline policy allows
// each of timedActions only in a window of time.
func timedAccount(collectedAt time.Time) *snapshot.Snapshot {
	s := guideAccount()
	s.CollectedAt = collectedAt
	bob := "arn:aws:iam::" + acct + ":user/bob"
	withUsers(s, "bob")
	epoch := func(t string) string {
		v, err := time.Parse(time.RFC3339, t)
		if err != nil {
			panic(err)
		}
		return strconv.FormatInt(v.Unix(), 10)
	}
	doc := `{"Version":"2012-10-17","Statement":[
	  {"Sid":"UntilEight","Effect":"Allow","Action":"s3:GetObject","Resource":"*",
	   "Condition":{"DateLessThan":{"aws:CurrentTime":"2026-11-27T08:00:00Z"}}},
	  {"Sid":"FromSixEpoch","Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*",
	   "Condition":{"DateGreaterThan":{"aws:EpochTime":"` + epoch("2026-11-27T06:00:00Z") + `"}}},
	  {"Sid":"SixToEightDates","Effect":"Allow","Action":"sqs:ListQueues","Resource":"*",
	   "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-11-27T06:00:00Z"},"DateLessThan":{"aws:EpochTime":"` + epoch("2026-11-27T08:00:00Z") + `"}}},
	  {"Sid":"NumericEpochBefore","Effect":"Allow","Action":"sns:ListTopics","Resource":"*",
	   "Condition":{"NumericLessThan":{"aws:EpochTime":"` + epoch("2026-11-27T06:00:00Z") + `"}}}
	]}`
	s.Users = append(s.Users, snapshot.User{Name: "bob", ARN: bob,
		InlinePolicies: []snapshot.InlinePolicy{{Name: "timed", Document: json.RawMessage(doc)}}})
	snapshot.Normalize(s)
	return s
}

// timeRule asks lockdown.iam.decide about bob and each timed action under
// access keys: PASS when allowed, FAIL when not, the action as detail.
const timeRule = `# METADATA
# title: timed
# custom:
#   id: TIME-RULE-01
#   severity: low
#   requires: [authorization_details]
package lockdown.checks.timed

bob := "arn:aws:iam::111122223333:user/bob"

results contains r if {
	some action in %s
	d := lockdown.iam.decide(bob, action, "*", "access_key")
	status := {true: "PASS", false: "FAIL"}[d.allowed]
	r := {"status": status, "resource": {"arn": bob}, "message": d.reason, "detail": action}
}
`

// TestDecideAndAnalysisAgreeOnTime: lockdown.iam.decide in Rego and the Go
// analysis (facts.Build -> access.Analyze) take "now" from the snapshot's
// collection time and agree on time-conditioned policies, before, inside
// and after the windows.
func TestDecideAndAnalysisAgreeOnTime(t *testing.T) {
	dir := t.TempDir()
	list, _ := json.Marshal(timedActions)
	if err := os.WriteFile(filepath.Join(dir, "timed.rego"), fmt.Appendf(nil, timeRule, list), 0o644); err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{ExtraRegoDirs: []string{dir}})
	bob := "arn:aws:iam::" + acct + ":user/bob"
	for _, tc := range []struct {
		at      string
		allowed []string // the actions IAM allows bob then
	}{
		{"2026-11-27T05:00:00Z", []string{"s3:GetObject", "sns:ListTopics"}},
		{"2026-11-27T07:00:00Z", []string{"s3:GetObject", "ec2:DescribeInstances", "sqs:ListQueues"}},
		{"2026-11-27T09:00:00Z", []string{"ec2:DescribeInstances"}},
	} {
		t.Run(tc.at, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tc.at)
			f, err := facts.Build(timedAccount(at))
			if err != nil {
				t.Fatal(err)
			}
			ua := f.IAM.Users[bob]
			if ua == nil {
				t.Fatalf("no analysis of bob (unknown: %v)", f.PolicyUnknown)
			}
			goAllowed := map[string]bool{}
			for _, g := range ua.WithoutMFA {
				if g.Context == "access_key" {
					goAllowed[g.Action] = true
				}
			}
			out, err := e.Evaluate(context.Background(), f, []string{"TIME-RULE-01"})
			if err != nil {
				t.Fatal(err)
			}
			regoAllowed := map[string]bool{}
			for _, r := range out.Results {
				if r.Status == findings.Pass {
					regoAllowed[r.Detail] = true
				}
			}
			if len(out.Results) != len(timedActions) {
				t.Fatalf("%d results, want one per action: %+v", len(out.Results), out.Results)
			}
			want := map[string]bool{}
			for _, a := range tc.allowed {
				want[a] = true
			}
			for _, a := range timedActions {
				if goAllowed[a] != regoAllowed[a] {
					t.Errorf("%s: Go analysis says allowed=%v, lockdown.iam.decide says %v", a, goAllowed[a], regoAllowed[a])
				}
				if regoAllowed[a] != want[a] {
					t.Errorf("%s: allowed=%v at %s, want %v", a, regoAllowed[a], tc.at, want[a])
				}
			}
		})
	}
}
