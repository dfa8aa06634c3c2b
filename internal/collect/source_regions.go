package collect

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const (
	listRegions     = "account:ListRegions"
	describeRegions = "ec2:DescribeRegions"

	// regionWorkers bounds the regions one regional source reads at once.
	// Two regional sources run side by side, so at most twice this many
	// regional requests are in flight, besides the IAM streams.
	regionWorkers = 6

	// maxRegionPages bounds account:ListRegions (50 regions a page; a
	// partition has a few dozen).
	maxRegionPages = 20
)

// regionShape is a region name as the snapshot schema accepts it. A name
// becomes part of an endpoint host name, so nothing else is ever used.
var regionShape = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// enabledRegions: account:ListRegions filtered to ENABLED and
// ENABLED_BY_DEFAULT, every page. When it fails (or names no region), the
// enabled regions are asked of ec2:DescribeRegions in the configured
// region, which without AllRegions lists exactly the regions enabled for
// the account; the note then says why.
func (c *collector) enabledRegions(ctx context.Context, r *run) error {
	regions, err := c.listRegions(ctx)
	if err == nil && len(regions) == 0 {
		err = newActionError(listRegions, "NoRegions", "ListRegions named no enabled region")
	}
	if err != nil && ctx.Err() == nil {
		primary := classify(err)
		fallback, ferr := c.describeRegions(ctx)
		if ferr == nil && len(fallback) == 0 {
			ferr = newActionError(describeRegions, "NoRegions", "DescribeRegions named no enabled region")
		}
		if ferr == nil {
			r.note = fmt.Sprintf("%s failed (%s: %s); the enabled regions come from %s", listRegions, primary.Code, primary.Message, describeRegions)
			regions, err = fallback, nil
		} else {
			se := classify(ferr)
			r.note = fmt.Sprintf("%s failed too (%s: %s)", describeRegions, se.Code, se.Message)
		}
	}
	var valid []snapshot.Region
	bad := &malformed{action: listRegions}
	seen := map[string]bool{}
	for _, rg := range regions {
		switch {
		case !regionShape.MatchString(rg.Name):
			bad.add("region name %q is not a region name", rg.Name)
		case !seen[rg.Name]:
			seen[rg.Name] = true
			valid = append(valid, rg)
		}
	}
	if err == nil {
		err = bad.err()
	}
	sort.Slice(valid, func(i, j int) bool { return valid[i].Name < valid[j].Name })
	if len(valid) > 0 {
		c.snap.Regions = valid
		if err != nil {
			r.partial.Store(true)
		}
	}
	for _, rg := range valid {
		c.regions = append(c.regions, rg.Name)
	}
	return err
}

func (c *collector) listRegions(ctx context.Context) ([]snapshot.Region, error) {
	var regions []snapshot.Region
	err := paginateTokens(ctx, listRegions, maxRegionPages, func(ctx context.Context, token *string) (*string, error) {
		out, err := c.account.ListRegions(ctx, &account.ListRegionsInput{
			MaxResults: aws.Int32(50),
			NextToken:  token,
			RegionOptStatusContains: []accounttypes.RegionOptStatus{
				accounttypes.RegionOptStatusEnabled, accounttypes.RegionOptStatusEnabledByDefault,
			},
		})
		if err != nil {
			return nil, err
		}
		for _, rg := range out.Regions {
			// Only what was asked for: an endpoint that ignores the
			// filter must not add a disabled region.
			switch rg.RegionOptStatus {
			case accounttypes.RegionOptStatusEnabled, accounttypes.RegionOptStatusEnabledByDefault:
				regions = append(regions, snapshot.Region{Name: str(rg.RegionName), OptStatus: string(rg.RegionOptStatus)})
			}
		}
		return out.NextToken, nil
	})
	return regions, err
}

func (c *collector) describeRegions(ctx context.Context) ([]snapshot.Region, error) {
	out, err := c.ec2(c.cfg.Region).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, err
	}
	var regions []snapshot.Region
	for _, rg := range out.Regions {
		var status string
		switch str(rg.OptInStatus) {
		case "opt-in-not-required":
			status = string(accounttypes.RegionOptStatusEnabledByDefault)
		case "opted-in":
			status = string(accounttypes.RegionOptStatusEnabled)
		default: // "not-opted-in": listed only with AllRegions
			continue
		}
		regions = append(regions, snapshot.Region{Name: str(rg.RegionName), OptStatus: status})
	}
	return regions, nil
}

// ec2 is the EC2 client for region (one per region, built once).
func (c *collector) ec2(region string) *ec2.Client {
	c.clientsMu.Lock()
	defer c.clientsMu.Unlock()
	if cl, ok := c.ec2s[region]; ok {
		return cl
	}
	cl := ec2.NewFromConfig(c.cfg, func(o *ec2.Options) {
		o.Region = region
		o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceEC2), countRequests)
	})
	c.ec2s[region] = cl
	return cl
}

// accessAnalyzer is the IAM Access Analyzer client for region.
func (c *collector) accessAnalyzer(region string) *accessanalyzer.Client {
	c.clientsMu.Lock()
	defer c.clientsMu.Unlock()
	if cl, ok := c.analyzers[region]; ok {
		return cl
	}
	cl := accessanalyzer.NewFromConfig(c.cfg, func(o *accessanalyzer.Options) {
		o.Region = region
		o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceAccessAnalyzer), countRequests)
	})
	c.analyzers[region] = cl
	return cl
}

// paginateTokens drives a NextToken listing. page fetches one page for
// token (nil on the first call) and returns the next token ("" or nil at
// the end). A token that repeats an earlier one, or a listing longer than
// maxPages, stops with an error rather than looping.
func paginateTokens(ctx context.Context, action string, maxPages int, page func(ctx context.Context, token *string) (next *string, err error)) error {
	op := action[strings.Index(action, ":")+1:]
	var token *string
	seen := map[string]bool{}
	for n := 1; ; n++ {
		next, err := page(ctx, token)
		if err != nil {
			return err
		}
		if next == nil || *next == "" {
			return nil
		}
		if seen[*next] {
			return newActionError(action, "RepeatedToken", "%s page %d: NextToken repeats an earlier page's; stopping to avoid a loop", op, n)
		}
		if n >= maxPages {
			return newActionError(action, "PaginationLimit", "%s: still more after %d pages, more than lockdown reads (at most %d pages); stopping, the listing does not end", op, n, maxPages)
		}
		seen[*next] = true
		token = next
	}
}

// regionResult is what a regional source got in one region.
type regionResult struct {
	index    int // in collector.regions
	region   string
	requests int
	err      error
}

// eachRegion calls fn for every enabled region, at most regionWorkers at
// a time, and returns the results in region order. fn counts its own
// requests in the result. When the context ends, the regions not started
// yet are still handed to fn, which fails at once with the context's
// error, so that every region records why it is missing.
func (c *collector) eachRegion(ctx context.Context, fn func(ctx context.Context, res *regionResult)) []regionResult {
	results := make([]regionResult, len(c.regions))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(regionWorkers, len(c.regions)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(ctx, &results[i])
			}
		}()
	}
	for i, rg := range c.regions {
		results[i].index, results[i].region = i, rg
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// regionalError turns the per-region results of a regional source into its
// status: nil when every enabled region was read completely; otherwise an
// error whose code is the first failed region's (or RegionsUnknown /
// RegionsIncomplete when the enabled regions themselves are not known or
// known only in part), naming the regions that failed. kept tells whether
// any data was kept, which makes the failure partial.
func (c *collector) regionalError(r *run, action string, results []regionResult) error {
	var failed []string
	var first *snapshot.SourceError
	read := 0
	for _, res := range results {
		if res.err == nil {
			read++
			continue
		}
		se := classify(res.err)
		if first == nil {
			first = se
		}
		failed = append(failed, fmt.Sprintf("%s (%s)", res.region, se.Code))
	}
	var regionsProblem string
	if c.regionsErr != nil {
		se := classify(c.regionsErr)
		regionsProblem = fmt.Sprintf("the enabled regions are known only in part (source %s: %s %s)", snapshot.SourceRegions, se.Action, se.Code)
		if len(c.regions) == 0 {
			return newActionError(se.Action, "RegionsUnknown", "not collected: the enabled regions are unknown (source %s: %s %s: %s)", snapshot.SourceRegions, se.Action, se.Code, se.Message)
		}
	}
	if read > 0 {
		r.partial.Store(len(failed) > 0 || regionsProblem != "")
	}
	switch {
	case first != nil:
		msg := fmt.Sprintf("%d of %d regions could not be read completely: %s; first error: %s", len(failed), len(results), strings.Join(failed, ", "), first.Message)
		if regionsProblem != "" {
			msg += "; and " + regionsProblem
		}
		return &sourceError{code: first.Code, msg: msg, action: action}
	case regionsProblem != "":
		return newActionError(action, "RegionsIncomplete", "read %d regions, but %s", read, regionsProblem)
	}
	return nil
}
