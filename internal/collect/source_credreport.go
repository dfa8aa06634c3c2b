package collect

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// maxPollWait caps the wait between two credential report polls.
const maxPollWait = 30 * time.Second

// credentialReport: iam:GenerateCredentialReport, polled with exponential
// backoff until COMPLETE or the timeout, then iam:GetCredentialReport.
func (c *collector) credentialReport(ctx context.Context, r *run) error {
	timeout := c.opts.CredentialReportTimeout
	deadline := time.Now().Add(timeout)
	wait := c.opts.CredentialReportPoll
	maxWait := min(16*wait, maxPollWait)

	sleep := func(state string) error {
		if time.Now().Add(wait).After(deadline) {
			return newActionError("iam:GenerateCredentialReport", "CredentialReportTimeout", "the credential report was still %s after %s (GenerateCredentialReport polled %d times)", state, timeout, r.requests.Load())
		}
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, maxWait)
		return nil
	}

	for {
		gen, err := c.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			return err
		}
		if gen.State != types.ReportStateTypeComplete {
			if err := sleep(string(gen.State)); err != nil {
				return err
			}
			continue
		}
		out, err := c.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		if err != nil {
			switch errorCode(err) {
			case "ReportInProgress":
				// Generation restarted between the two calls.
				if err := sleep("in progress"); err != nil {
					return err
				}
				continue
			case "ReportExpired", "ReportNotPresent":
				// Older than 4 hours or gone: generate again.
				if err := sleep("expired"); err != nil {
					return err
				}
				continue
			}
			return err
		}
		if out.ReportFormat != "" && out.ReportFormat != types.ReportFormatTypeTextCsv {
			return newActionError("iam:GetCredentialReport", "MalformedCredentialReport", "GetCredentialReport returned format %q, expected text/csv", out.ReportFormat)
		}
		rep, perr := parseCredentialReport(out.Content)
		if rep != nil {
			sortReportRows(rep.Rows)
			rep.GeneratedTime = utc(out.GeneratedTime)
			c.snap.CredentialReport = rep
		}
		when := "at an unknown time"
		if out.GeneratedTime != nil {
			when = "at " + out.GeneratedTime.UTC().Format(time.RFC3339)
		}
		r.note = "AWS caches the credential report for 4 hours; this one was generated " + when
		if perr != nil {
			if rep != nil && len(rep.Rows) > 0 {
				r.partial.Store(true)
			}
			return perr
		}
		return nil
	}
}

// parseCredentialReport reads the CSV by header name and keeps every value
// verbatim. On a malformed line it returns the rows before it and an error
// naming the line.
func parseCredentialReport(content []byte) (*snapshot.CredentialReport, error) {
	malformed := func(format string, args ...any) error {
		return newActionError("iam:GetCredentialReport", "MalformedCredentialReport", "credential report: "+format, args...)
	}
	if len(bytes.TrimSpace(content)) == 0 {
		return nil, malformed("the report is empty, expected a CSV header line")
	}
	cr := csv.NewReader(bytes.NewReader(content))
	cr.FieldsPerRecord = 0 // every row must have as many fields as the header
	header, err := cr.Read()
	if err != nil {
		return nil, malformed("line 1 (header): %s", csvProblem(err))
	}
	seen := map[string]bool{}
	for i, h := range header {
		switch {
		case h == "":
			return nil, malformed("line 1 (header): column %d has no name", i+1)
		case seen[h]:
			return nil, malformed("line 1 (header): column %q appears twice", h)
		}
		seen[h] = true
	}
	for _, need := range []string{"user", "arn"} {
		if !seen[need] {
			return nil, malformed("line 1 (header): no %q column; got %d columns starting %q", need, len(header), header[0])
		}
	}
	rep := &snapshot.CredentialReport{Columns: header, Rows: []map[string]string{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rep, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return rep, malformed("line %d: %s", pe.Line, csvProblem(err))
			}
			return rep, malformed("after %d rows: %v", len(rep.Rows), err)
		}
		row := make(map[string]string, len(header))
		for i, h := range header {
			row[h] = rec[i]
		}
		rep.Rows = append(rep.Rows, row)
	}
}

// sortReportRows orders rows root first, then by ARN, so the snapshot does
// not depend on the order IAM wrote the users in.
func sortReportRows(rows []map[string]string) {
	sort.SliceStable(rows, func(i, j int) bool {
		ri, rj := rows[i]["user"] == "<root_account>", rows[j]["user"] == "<root_account>"
		if ri != rj {
			return ri
		}
		if rows[i]["arn"] != rows[j]["arn"] {
			return rows[i]["arn"] < rows[j]["arn"]
		}
		return rows[i]["user"] < rows[j]["user"]
	})
}

func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("column %d: %v", pe.Column, pe.Err)
	}
	return err.Error()
}
