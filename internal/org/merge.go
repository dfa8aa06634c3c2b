package org

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// MergeError says why shard reports cannot be merged.
type MergeError struct{ Problems []string }

func (e *MergeError) Error() string { return strings.Join(e.Problems, "; ") }

// Merge combines shard reports (named for errors by names) into one
// organisation report. It refuses reports of different organizations,
// catalogues or shard counts, a shard given twice and an account audited
// by two shards; the accounts a shard selected that no report audited are
// the merged report's Missing.
func Merge(reports []*Report, names []string) (*Report, error) {
	if len(reports) == 0 {
		return nil, &MergeError{Problems: []string{"no shard reports to merge"}}
	}
	var problems []string
	first := reports[0]
	shardFrom := map[int]string{}
	accountFrom := map[string]string{}
	meta := Meta{ToolVersion: first.ToolVersion, OrganizationID: first.OrganizationID,
		ManagementAccountID: first.ManagementAccountID, CatalogVersion: first.CatalogVersion,
		Checks: map[string]findings.Check{}, Controls: map[[2]string]string{}}
	var shards []ShardRun
	var accounts []Account
	for i, r := range reports {
		name := names[i]
		if r.OrganizationID != first.OrganizationID {
			problems = append(problems, fmt.Sprintf("%s is of organization %s, %s of %s", name, r.OrganizationID, names[0], first.OrganizationID))
		}
		if r.CatalogVersion != first.CatalogVersion {
			problems = append(problems, fmt.Sprintf("%s was audited with checks %s, %s with %s", name, r.CatalogVersion, names[0], first.CatalogVersion))
		}
		for _, s := range r.Shards {
			if s.N != first.Shards[0].N {
				problems = append(problems, fmt.Sprintf("%s is shard %d/%d, %s of %d shards", name, s.K, s.N, names[0], first.Shards[0].N))
			}
			if prev, dup := shardFrom[s.K]; dup {
				problems = append(problems, fmt.Sprintf("shard %d/%d is in both %s and %s", s.K, s.N, prev, name))
				continue
			}
			shardFrom[s.K] = name
			shards = append(shards, s)
		}
		for _, a := range r.Accounts {
			if prev, dup := accountFrom[a.ID]; dup {
				problems = append(problems, fmt.Sprintf("account %s is in both %s and %s", a.ID, prev, name))
				continue
			}
			accountFrom[a.ID] = name
			a.Dir = joinDir(name, a.Dir)
			accounts = append(accounts, a)
		}
		for _, c := range r.Checks {
			meta.Checks[c.ID] = findings.Check{ID: c.ID, Title: c.Title, Severity: findings.Severity(c.Severity)}
		}
		for _, c := range r.Controls {
			meta.Controls[[2]string{c.Framework, c.ID}] = c.Title
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, &MergeError{Problems: problems}
	}
	return Build(meta, shards, accounts), nil
}

// joinDir makes an account's directory relative to where the merged
// report is read from: the shard's directory, then the account's.
func joinDir(shard, dir string) string {
	if dir == "" {
		return ""
	}
	return strings.TrimSuffix(shard, "/") + "/" + dir
}
