package cli

import (
	"os"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/waivers"
)

// loadWaivers reads --waivers FILE (nil when none is named). It is read
// before any collection, so a malformed file costs nothing.
func loadWaivers(path string, maxDays int) (*waivers.File, error) {
	if maxDays < 1 {
		return nil, inputErr("--waiver-max-days %d: want a number of days, 1 or more", maxDays)
	}
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputErr("--waivers: %v", err)
	}
	f, err := waivers.Parse(path, data)
	if err != nil {
		return nil, inputErr("--waivers %v", err)
	}
	return f, nil
}

// applyWaivers checks the expiries against the snapshot's collection time
// (the audit's reference time, so that the same snapshot and waivers give
// the same report), attaches the waivers to the failing results and warns
// about each waiver that covers no failing result.
func applyWaivers(p *auditPlan, snap *snapshot.Snapshot, rep *findings.Report, warn func(string)) error {
	if p.waivers == nil {
		return nil
	}
	if err := p.waivers.Validate(rep.CollectedAt, p.waiverMaxDays); err != nil {
		return inputErr("--waivers %v", err)
	}
	unused := p.waivers.Apply(rep.Results, rep.CollectedAt, snapshotTags(snap))
	for _, e := range unused {
		warn("warning: --waivers " + p.waivers.Path + ": " + e.Describe() + " matches no failing result")
	}
	for _, r := range rep.Results {
		if r.Waiver != nil && r.Waiver.Expired {
			warn("warning: --waivers " + p.waivers.Path + ": the waiver of " + r.CheckID + " on " + resourceOf(r) + " expired on " + r.Waiver.Expires + "; the finding counts again")
		}
	}
	rep.Summary = findings.Summarize(rep.Results)
	return nil
}

func resourceOf(r findings.Result) string {
	if r.Resource.ARN != "" {
		return r.Resource.ARN
	}
	return r.Resource.Name
}

// snapshotTags looks up the tags of the snapshot's tagged entities by ARN.
func snapshotTags(snap *snapshot.Snapshot) func(string) map[string]string {
	idx := map[string]map[string]string{}
	add := func(arn string, tags []snapshot.Tag) {
		if arn == "" || len(tags) == 0 {
			return
		}
		m := make(map[string]string, len(tags))
		for _, t := range tags {
			m[t.Key] = t.Value
		}
		idx[arn] = m
	}
	if snap != nil {
		for _, u := range snap.Users {
			add(u.ARN, u.Tags)
		}
		for _, r := range snap.Roles {
			add(r.ARN, r.Tags)
		}
		for _, a := range snap.AccessAnalyzers {
			for _, an := range a.Analyzers {
				add(an.ARN, an.Tags)
			}
		}
	}
	return func(arn string) map[string]string { return idx[arn] }
}
