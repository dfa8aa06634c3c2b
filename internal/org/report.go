package org

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// SchemaV1 names the organisation report format.
const SchemaV1 = "lockdown.org-report/v1"

// Schema is the organisation report's JSON Schema (org-report.schema.json).
//
//go:embed org-report.schema.json
var Schema []byte

// Account statuses.
const (
	StatusComplete   = "complete"   // every selected check assessed
	StatusIncomplete = "incomplete" // audited, some check NOT_ASSESSED
	StatusFailed     = "failed"     // not audited: no credentials, no identity, a report not written
)

// Report is the organisation report: one entry per audited account with
// its summary, and the accounts x checks and accounts x controls counts.
type Report struct {
	Schema              string `json:"schema"`
	ToolVersion         string `json:"tool_version"`
	OrganizationID      string `json:"organization_id"`
	ManagementAccountID string `json:"management_account_id"`
	// CatalogVersion is the checks' catalogue the accounts were audited
	// with.
	CatalogVersion string `json:"catalog_version"`
	// Shards are the shard runs this report covers, by K.
	Shards  []ShardRun `json:"shards"`
	Summary Summary    `json:"summary"`
	// Missing are accounts a shard listed for the audit that no shard
	// audited (a shard not run or not merged, or an account that joined
	// between the shards' runs), sorted.
	Missing  []string     `json:"missing"`
	Accounts []Account    `json:"accounts"` // sorted worst first (Sort)
	Checks   []CheckRow   `json:"checks"`
	Controls []ControlRow `json:"controls"`
}

// ShardRun is one shard's run: which shard, and every account (of all
// shards) it saw selected, so that a merge can name the missing ones.
type ShardRun struct {
	K        int      `json:"k"`
	N        int      `json:"n"`
	Selected []string `json:"selected"` // sorted
}

// Summary counts the accounts.
type Summary struct {
	Accounts   int `json:"accounts"`
	Complete   int `json:"complete"`
	Incomplete int `json:"incomplete"`
	Failed     int `json:"failed"`
	Missing    int `json:"missing"`
	// Failing counts the accounts with a failing result that counts for
	// the exit code (not waived).
	Failing int `json:"failing"`
}

// Account is one account's outcome.
type Account struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	Status string `json:"status"`
	// Cause says why the account is not complete (redacted, one line).
	Cause string `json:"cause,omitempty"`
	// Dir is the account's output directory, relative to the report's.
	Dir string `json:"dir,omitempty"`
	// Summary is the account report's summary (absent when failed).
	Summary *findings.Summary `json:"summary,omitempty"`
	// FailingBySeverity counts the failures that count for the exit code
	// (not waived), by severity.
	FailingBySeverity map[string]int `json:"failing_by_severity"`
	// Checks counts the account's results per check (checks with results).
	Checks []CheckCount `json:"checks"`
	// Controls are the framework controls' statuses (--framework).
	Controls []ControlStatus `json:"controls"`
	// Requests is the number of API requests its collection made.
	Requests int `json:"requests"`
	// Throttled says a request was throttled past its retries.
	Throttled bool `json:"throttled,omitempty"`
}

// CheckCount is an account's results of one check.
type CheckCount struct {
	ID          string `json:"id"`
	Pass        int    `json:"pass"`
	Fail        int    `json:"fail"`
	NotAssessed int    `json:"not_assessed"`
}

// ControlStatus is an account's status for one framework control.
type ControlStatus struct {
	Framework string `json:"framework"`
	ID        string `json:"id"`
	Status    string `json:"status"`
}

// CheckRow is one check across the accounts.
type CheckRow struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	// Accounts counts the accounts by the check's verdict there: failing
	// (any failing result), not assessed (no failure, some result
	// NOT_ASSESSED), passing (the rest that have results).
	AccountsFailing     int `json:"accounts_failing"`
	AccountsNotAssessed int `json:"accounts_not_assessed"`
	AccountsPassing     int `json:"accounts_passing"`
	// Failures is the number of failing results over all accounts.
	Failures int `json:"failures"`
}

// ControlRow is one framework control across the accounts.
type ControlRow struct {
	Framework           string `json:"framework"`
	ID                  string `json:"id"`
	Title               string `json:"title"`
	AccountsFailing     int    `json:"accounts_failing"`
	AccountsNotAssessed int    `json:"accounts_not_assessed"`
	AccountsPassing     int    `json:"accounts_passing"`
	AccountsOther       int    `json:"accounts_other"` // MANUAL or NOT_APPLICABLE
}

// Meta is what the report says beyond its accounts.
type Meta struct {
	ToolVersion, OrganizationID, ManagementAccountID, CatalogVersion string
	// Checks are the checks' titles and severities; Controls the
	// controls' titles, by framework and ID.
	Checks   map[string]findings.Check
	Controls map[[2]string]string
}

// AccountFromReport summarises an account's report.
func AccountFromReport(t Target, rep *findings.Report, counts func(findings.Result) bool) Account {
	a := Account{ID: t.ID, Name: t.Name, Parent: t.Parent, Status: StatusComplete, FailingBySeverity: map[string]int{},
		Checks: []CheckCount{}, Controls: []ControlStatus{}}
	sum := rep.Summary
	a.Summary = &sum
	byCheck := map[string]*CheckCount{}
	for _, r := range rep.Results {
		c := byCheck[r.CheckID]
		if c == nil {
			c = &CheckCount{ID: r.CheckID}
			byCheck[r.CheckID] = c
		}
		switch r.Status {
		case findings.Pass:
			c.Pass++
		case findings.Fail:
			c.Fail++
			if counts(r) {
				a.FailingBySeverity[string(r.Severity)]++
			}
		case findings.NotAssessed:
			c.NotAssessed++
		}
	}
	for _, c := range byCheck {
		a.Checks = append(a.Checks, *c)
	}
	sort.Slice(a.Checks, func(i, j int) bool { return a.Checks[i].ID < a.Checks[j].ID })
	for _, fw := range rep.Compliance {
		for _, c := range fw.Controls {
			a.Controls = append(a.Controls, ControlStatus{Framework: fw.Framework, ID: c.ID, Status: string(c.Status)})
		}
	}
	if !rep.Complete {
		a.Status = StatusIncomplete
		var causes []string
		for _, c := range rep.Incomplete {
			causes = append(causes, c.String())
		}
		a.Cause = joinCauses(causes)
	}
	return a
}

// joinCauses keeps a cause to a few lines' worth.
func joinCauses(causes []string) string {
	const most = 3
	out := ""
	for i, c := range causes {
		if i == most {
			out += fmt.Sprintf("; and %d more", len(causes)-most)
			break
		}
		if i > 0 {
			out += "; "
		}
		out += c
	}
	return out
}

// Build assembles the report of a run (or a merge) from its accounts.
func Build(meta Meta, shards []ShardRun, accounts []Account) *Report {
	r := &Report{
		Schema: SchemaV1, ToolVersion: meta.ToolVersion, OrganizationID: meta.OrganizationID,
		ManagementAccountID: meta.ManagementAccountID, CatalogVersion: meta.CatalogVersion,
		Shards: shards, Missing: []string{}, Accounts: accounts, Checks: []CheckRow{}, Controls: []ControlRow{},
	}
	if r.Accounts == nil {
		r.Accounts = []Account{}
	}
	sort.Slice(r.Shards, func(i, j int) bool { return r.Shards[i].K < r.Shards[j].K })
	audited := map[string]bool{}
	for _, a := range accounts {
		audited[a.ID] = true
	}
	missing := map[string]bool{}
	for _, s := range shards {
		for _, id := range s.Selected {
			if !audited[id] {
				missing[id] = true
			}
		}
	}
	for id := range missing {
		r.Missing = append(r.Missing, id)
	}
	sort.Strings(r.Missing)

	for i := range r.Accounts {
		a := &r.Accounts[i]
		if a.FailingBySeverity == nil {
			a.FailingBySeverity = map[string]int{}
		}
		if a.Checks == nil {
			a.Checks = []CheckCount{}
		}
		if a.Controls == nil {
			a.Controls = []ControlStatus{}
		}
	}
	checks := map[string]*CheckRow{}
	controls := map[[2]string]*ControlRow{}
	for _, a := range r.Accounts {
		r.Summary.Accounts++
		switch a.Status {
		case StatusComplete:
			r.Summary.Complete++
		case StatusIncomplete:
			r.Summary.Incomplete++
		default:
			r.Summary.Failed++
		}
		if failingTotal(a) > 0 {
			r.Summary.Failing++
		}
		for _, c := range a.Checks {
			row := checks[c.ID]
			if row == nil {
				info := meta.Checks[c.ID]
				row = &CheckRow{ID: c.ID, Title: info.Title, Severity: string(info.Severity)}
				checks[c.ID] = row
			}
			row.Failures += c.Fail
			switch {
			case c.Fail > 0:
				row.AccountsFailing++
			case c.NotAssessed > 0:
				row.AccountsNotAssessed++
			default:
				row.AccountsPassing++
			}
		}
		for _, c := range a.Controls {
			key := [2]string{c.Framework, c.ID}
			row := controls[key]
			if row == nil {
				row = &ControlRow{Framework: c.Framework, ID: c.ID, Title: meta.Controls[key]}
				controls[key] = row
			}
			switch findings.ControlStatus(c.Status) {
			case findings.ControlFail:
				row.AccountsFailing++
			case findings.ControlNotAssessed:
				row.AccountsNotAssessed++
			case findings.ControlPass:
				row.AccountsPassing++
			default:
				row.AccountsOther++
			}
		}
	}
	r.Summary.Missing = len(r.Missing)
	for _, row := range checks {
		r.Checks = append(r.Checks, *row)
	}
	sort.Slice(r.Checks, func(i, j int) bool {
		a, b := r.Checks[i], r.Checks[j]
		if a.AccountsFailing != b.AccountsFailing {
			return a.AccountsFailing > b.AccountsFailing
		}
		if ra, rb := severityRank(a.Severity), severityRank(b.Severity); ra != rb {
			return ra > rb
		}
		if a.AccountsNotAssessed != b.AccountsNotAssessed {
			return a.AccountsNotAssessed > b.AccountsNotAssessed
		}
		return a.ID < b.ID
	})
	for _, row := range controls {
		r.Controls = append(r.Controls, *row)
	}
	sort.Slice(r.Controls, func(i, j int) bool {
		a, b := r.Controls[i], r.Controls[j]
		if a.AccountsFailing != b.AccountsFailing {
			return a.AccountsFailing > b.AccountsFailing
		}
		if a.AccountsNotAssessed != b.AccountsNotAssessed {
			return a.AccountsNotAssessed > b.AccountsNotAssessed
		}
		if a.Framework != b.Framework {
			return a.Framework < b.Framework
		}
		return a.ID < b.ID
	})
	SortAccounts(r.Accounts)
	return r
}

func severityRank(s string) int {
	sev, ok := findings.ParseSeverity(s)
	if !ok {
		return 0
	}
	return sev.Rank()
}

func failingTotal(a Account) int {
	n := 0
	for _, v := range a.FailingBySeverity {
		n += v
	}
	return n
}

// SortAccounts orders accounts worst first: failed, then by failing
// results from the highest severity down, then not assessed results,
// then by ID.
func SortAccounts(accounts []Account) {
	sevs := []string{"critical", "high", "medium", "low", "info"}
	rank := map[string]int{StatusFailed: 0, StatusIncomplete: 1, StatusComplete: 1}
	sort.SliceStable(accounts, func(i, j int) bool {
		a, b := accounts[i], accounts[j]
		if rank[a.Status] != rank[b.Status] {
			return rank[a.Status] < rank[b.Status]
		}
		for _, s := range sevs {
			if a.FailingBySeverity[s] != b.FailingBySeverity[s] {
				return a.FailingBySeverity[s] > b.FailingBySeverity[s]
			}
		}
		na, nb := notAssessed(a), notAssessed(b)
		if na != nb {
			return na > nb
		}
		return a.ID < b.ID
	})
}

func notAssessed(a Account) int {
	if a.Summary == nil {
		return 0
	}
	return a.Summary.NotAssessed
}

// Failing reports whether any account fails at or above minRank (a
// findings.Severity rank; 0 for none).
func (r *Report) Failing(minRank int) int {
	if minRank == 0 {
		return 0
	}
	n := 0
	for _, a := range r.Accounts {
		for sev, v := range a.FailingBySeverity {
			if v > 0 && severityRank(sev) >= minRank {
				n++
				break
			}
		}
	}
	return n
}

// Marshal is the report as indented JSON with a final newline.
func (r *Report) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Load reads an organisation report, refusing another schema.
func Load(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// The published schema first: a report merge reads must have what it
	// relies on (at least one shard, known statuses, account IDs).
	if err := ValidateJSON(data); err != nil {
		return nil, fmt.Errorf("%s: not an organisation report: %v", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Report
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not an organisation report: %v", path, err)
	}
	if r.Schema != SchemaV1 {
		return nil, fmt.Errorf("%s: schema %q, want %s", path, r.Schema, SchemaV1)
	}
	return &r, nil
}
