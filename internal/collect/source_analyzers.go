package collect

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const (
	listAnalyzers = "access-analyzer:ListAnalyzers"
	// maxAnalyzerPages bounds ListAnalyzers in one region: a region holds
	// a handful of analyzers (a few per type at most).
	maxAnalyzerPages = 100
)

// accessAnalyzers: access-analyzer:ListAnalyzers (all types, tags
// included) in every enabled region, a bounded number of regions at a
// time. Each region records its own error; see regionalError for the
// source's status.
func (c *collector) accessAnalyzers(ctx context.Context, r *run) error {
	if len(c.regions) == 0 {
		return c.regionalError(r, listAnalyzers, nil)
	}
	entries := make([]snapshot.AccessAnalyzerRegion, len(c.regions))
	results := c.eachRegion(ctx, func(ctx context.Context, res *regionResult) {
		e := snapshot.AccessAnalyzerRegion{Region: res.region, Analyzers: []snapshot.AccessAnalyzer{}}
		bad := &malformed{action: listAnalyzers}
		client := c.accessAnalyzer(res.region)
		res.err = paginateTokens(ctx, listAnalyzers, maxAnalyzerPages, func(ctx context.Context, token *string) (*string, error) {
			res.requests++
			out, err := client.ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, a := range out.Analyzers {
				an := snapshot.AccessAnalyzer{
					Name:      str(a.Name),
					ARN:       str(a.Arn),
					Type:      string(a.Type),
					Status:    string(a.Status),
					CreatedAt: utcPtr(a.CreatedAt),
				}
				if a.StatusReason != nil {
					an.StatusReason = string(a.StatusReason.Code)
				}
				for k, v := range a.Tags {
					if k != "" {
						an.Tags = append(an.Tags, snapshot.Tag{Key: k, Value: v})
					}
				}
				sort.Slice(an.Tags, func(i, j int) bool { return an.Tags[i].Key < an.Tags[j].Key })
				switch {
				case an.Name == "":
					bad.add("an analyzer without a name (ARN %q)", an.ARN)
				case !arnShape.MatchString(an.ARN):
					bad.add("analyzer %q: ARN %q is not an ARN", an.Name, an.ARN)
				case an.Type == "" || an.Status == "":
					bad.add("analyzer %q: no type or status", an.Name)
				default:
					e.Analyzers = append(e.Analyzers, an)
				}
			}
			return out.NextToken, nil
		})
		if res.err == nil {
			res.err = bad.err()
		}
		e.Requests = res.requests
		if res.err != nil {
			e.Error = classify(res.err)
		}
		entries[res.index] = e
	})
	c.snap.AccessAnalyzers = entries
	return c.regionalError(r, listAnalyzers, results)
}
