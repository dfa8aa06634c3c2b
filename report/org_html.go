package report

import (
	"fmt"
	"html/template"
	"io"

	"github.com/lockdown-dev/lockdown/internal/org"
)

// The organisation summary as one self-contained HTML page: the headline,
// the accounts (worst first), the accounts x checks and accounts x
// controls tables. No script; one inline style allowed by its hash, as
// for the account report; account data is text (html/template escapes it).

const orgHTMLCSS = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}
table{border-collapse:collapse;margin:0 0 1.5rem}th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right}.failed{color:#a00000;font-weight:600}.incomplete{color:#7a5a00}.complete{color:#0b6b0b}`

var orgHTMLTemplate = template.Must(template.New("org").Funcs(template.FuncMap{"t": htmlText}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lockdown organisation audit {{t .Report.OrganizationID}}</title>
<style>{{.CSS}}</style></head>
<body><main>
<h1>lockdown organisation audit</h1>
<p>{{t .Headline}}</p>
<h2>Accounts (worst first)</h2>
<table><thead><tr><th>Account</th><th>Name</th><th>Status</th><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th>Info</th><th>Not assessed</th><th>Cause</th></tr></thead><tbody>
{{range .Accounts}}<tr><td>{{t .ID}}</td><td>{{.Name}}</td><td class="{{.Status}}">{{.Status}}</td>{{range .Fails}}<td class="n">{{.}}</td>{{end}}<td class="n">{{.NotAssessed}}</td><td>{{.Cause}}</td></tr>
{{end}}</tbody></table>
{{if .Report.Missing}}<p><strong>Missing</strong> (selected by a shard, audited by none): {{range $i, $m := .Report.Missing}}{{if $i}}, {{end}}{{t $m}}{{end}}</p>{{end}}
<h2>Checks (worst first)</h2>
<table><thead><tr><th>Check</th><th>Severity</th><th>Accounts failing</th><th>Not assessed</th><th>Passing</th><th>Failures</th><th>Title</th></tr></thead><tbody>
{{range .Report.Checks}}<tr><td>{{t .ID}}</td><td>{{t .Severity}}</td><td class="n">{{.AccountsFailing}}</td><td class="n">{{.AccountsNotAssessed}}</td><td class="n">{{.AccountsPassing}}</td><td class="n">{{.Failures}}</td><td>{{t .Title}}</td></tr>
{{end}}</tbody></table>
{{if .Report.Controls}}<h2>Framework controls (worst first)</h2>
<table><thead><tr><th>Framework</th><th>Control</th><th>Accounts failing</th><th>Not assessed</th><th>Passing</th><th>Other</th><th>Title</th></tr></thead><tbody>
{{range .Report.Controls}}<tr><td>{{t .Framework}}</td><td>{{t .ID}}</td><td class="n">{{.AccountsFailing}}</td><td class="n">{{.AccountsNotAssessed}}</td><td class="n">{{.AccountsPassing}}</td><td class="n">{{.AccountsOther}}</td><td>{{t .Title}}</td></tr>
{{end}}</tbody></table>{{end}}
</main></body></html>
`))

type orgHTMLAccount struct {
	ID, Name, Status, Cause string
	Fails                   []int
	NotAssessed             string
}

func renderOrgHTML(w io.Writer, rep *org.Report) error {
	csp := "default-src 'none'; style-src " + cspHash(orgHTMLCSS) + "; base-uri 'none'; form-action 'none'"
	var accounts []orgHTMLAccount
	for _, a := range rep.Accounts {
		row := orgHTMLAccount{ID: a.ID, Name: escapeControls(a.Name), Status: a.Status, Cause: escapeControls(a.Cause), NotAssessed: "-"}
		for _, s := range severities {
			row.Fails = append(row.Fails, a.FailingBySeverity[string(s)])
		}
		if a.Summary != nil {
			row.NotAssessed = fmt.Sprint(a.Summary.NotAssessed)
		}
		accounts = append(accounts, row)
	}
	return orgHTMLTemplate.Execute(w, struct {
		CSP      string
		CSS      template.CSS
		Headline string
		Report   *org.Report
		Accounts []orgHTMLAccount
	}{CSP: csp, CSS: template.CSS(orgHTMLCSS), Headline: orgHeadline(rep), Report: rep, Accounts: accounts})
}
