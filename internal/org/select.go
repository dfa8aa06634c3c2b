package org

import (
	"fmt"
	"sort"
	"strings"
)

// Target is one account to audit.
type Target struct {
	ID     string
	Name   string
	Parent string // the root or OU it sits in directly
}

// Member is an account of the organization as its tree lists it.
type Member struct {
	ID, Name, Parent string
	State            string // ACTIVE, SUSPENDED, PENDING_CLOSURE...
}

// Filter selects accounts: Include (--accounts) or Exclude
// (--exclude-accounts), and OU (--ou), whose units are Units: that OU and
// every OU nested in it (nil without --ou).
type Filter struct {
	Include, Exclude []string
	OU               string
	Units            map[string]bool
}

// ParseAccountList reads a comma-separated list of 12-digit account IDs
// (repeatable flag values), refusing anything else.
func ParseAccountList(flag string, values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for _, id := range strings.Split(v, ",") {
			id = strings.TrimSpace(id)
			if !isAccountID(id) {
				return nil, fmt.Errorf("--%s %q: %q is not a 12-digit AWS account ID", flag, v, id)
			}
			out = append(out, id)
		}
	}
	return out, nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Select returns the ACTIVE accounts of the organization's the filter selects,
// sorted by ID, and the IDs of the accounts left out because they are not
// ACTIVE (suspended, closing...). An --accounts ID that is not in the
// organization (or not under --ou) is an error: a typo must not shrink an
// audit silently.
func Select(orgID string, members []Member, f Filter) (targets []Target, inactive []string, err error) {
	under := f.Units
	include := map[string]bool{}
	for _, id := range f.Include {
		include[id] = true
	}
	exclude := map[string]bool{}
	for _, id := range f.Exclude {
		exclude[id] = true
	}
	found := map[string]bool{}
	for _, a := range members {
		if under != nil && !under[a.Parent] {
			continue
		}
		if len(include) > 0 && !include[a.ID] {
			continue
		}
		found[a.ID] = true
		if exclude[a.ID] {
			continue
		}
		if a.State != "ACTIVE" {
			inactive = append(inactive, a.ID)
			continue
		}
		targets = append(targets, Target{ID: a.ID, Name: a.Name, Parent: a.Parent})
	}
	var unknown []string
	for id := range include {
		if !found[id] {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		where := "organization " + orgID
		if f.OU != "" {
			where = "OU " + f.OU
		}
		return nil, nil, fmt.Errorf("--accounts: %s not in %s", strings.Join(unknown, ", "), where)
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].ID < targets[j].ID })
	return targets, inactive, nil
}

// InShard keeps the targets of shard s.
func InShard(targets []Target, s Shard) []Target {
	var out []Target
	for _, t := range targets {
		if s.Has(t.ID) {
			out = append(out, t)
		}
	}
	return out
}
