package collect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const (
	listFunctions = "lambda:ListFunctions"
	// functionsPage is ListFunctions' largest page (MaxItems 1 to 50).
	functionsPage = 50
	// maxFunctionPages bounds ListFunctions in one region: 50 functions a
	// page, so 100,000 functions, far beyond what any account runs in one
	// region.
	maxFunctionPages = 2000
)

// lambdaFunctions: lambda:ListFunctions in every enabled region, 50
// functions a page (the largest page AWS serves), so the requests grow
// with pages and regions. ListFunctions answers with each function's
// configuration, environment variables included; only the function's ARN,
// name and execution role are kept, nothing else is read into the
// snapshot. Each region records its own error, as for accessAnalyzers.
func (c *collector) lambdaFunctions(ctx context.Context, r *run) error {
	if len(c.regions) == 0 {
		return c.regionalError(r, listFunctions, nil)
	}
	entries := make([]snapshot.LambdaRegion, len(c.regions))
	results := c.eachRegion(ctx, func(ctx context.Context, res *regionResult) {
		e := snapshot.LambdaRegion{Region: res.region, Functions: []snapshot.LambdaFunction{}}
		bad := &malformed{action: listFunctions}
		client := c.lambda(res.region)
		res.err = paginateTokens(ctx, listFunctions, maxFunctionPages, func(ctx context.Context, marker *string) (*string, error) {
			res.requests++
			out, err := client.ListFunctions(ctx, &lambda.ListFunctionsInput{MaxItems: aws.Int32(functionsPage), Marker: marker})
			if err != nil {
				return nil, err
			}
			for i := range out.Functions {
				fc := &out.Functions[i]
				fn := snapshot.LambdaFunction{ARN: str(fc.FunctionArn), Name: str(fc.FunctionName), Role: str(fc.Role)}
				switch {
				case fn.Name == "":
					bad.add("a function without a name")
				case !arnShape.MatchString(fn.ARN):
					bad.add("function %q: ARN %q is not an ARN", fn.Name, fn.ARN)
				case !arnShape.MatchString(fn.Role):
					bad.add("function %q: execution role %q is not an ARN", fn.Name, fn.Role)
				default:
					e.Functions = append(e.Functions, fn)
				}
			}
			return out.NextMarker, nil
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
	c.snap.LambdaFunctions = entries
	return c.regionalError(r, listFunctions, results)
}

// lambda is the Lambda client for region (one per region, built once).
func (c *collector) lambda(region string) *lambda.Client {
	c.clientsMu.Lock()
	defer c.clientsMu.Unlock()
	if cl, ok := c.lambdas[region]; ok {
		return cl
	}
	cl := lambda.NewFromConfig(c.cfg, func(o *lambda.Options) {
		o.Region = region
		o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceLambda), countRequests)
	})
	c.lambdas[region] = cl
	return cl
}
