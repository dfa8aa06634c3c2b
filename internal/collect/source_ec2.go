package collect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const (
	describeInstances = "ec2:DescribeInstances"
	// maxInstancePages bounds DescribeInstances in one region: 1000
	// instances a page, so a million instances, far beyond any EC2 quota.
	maxInstancePages = 1000
)

// ec2Instances: ec2:DescribeInstances in every enabled region, 1000
// instances a page, so the requests grow with pages and regions, not with
// instances. Only each instance's ID, state, launch time and instance
// profile ARN are kept. Each region records its own error, as for
// accessAnalyzers.
func (c *collector) ec2Instances(ctx context.Context, r *run) error {
	if len(c.regions) == 0 {
		return c.regionalError(r, describeInstances, nil)
	}
	entries := make([]snapshot.EC2Region, len(c.regions))
	results := c.eachRegion(ctx, func(ctx context.Context, res *regionResult) {
		e := snapshot.EC2Region{Region: res.region, Instances: []snapshot.EC2Instance{}}
		bad := &malformed{action: describeInstances}
		client := c.ec2(res.region)
		res.err = paginateTokens(ctx, describeInstances, maxInstancePages, func(ctx context.Context, token *string) (*string, error) {
			res.requests++
			out, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000), NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, rv := range out.Reservations {
				for _, in := range rv.Instances {
					inst := snapshot.EC2Instance{ID: str(in.InstanceId), LaunchTime: utcPtr(in.LaunchTime)}
					if in.State != nil {
						inst.State = string(in.State.Name)
					}
					if in.IamInstanceProfile != nil {
						inst.InstanceProfileARN = str(in.IamInstanceProfile.Arn)
					}
					switch {
					case inst.ID == "":
						bad.add("an instance without an ID")
					case inst.State == "":
						bad.add("instance %q: no state", inst.ID)
					case inst.InstanceProfileARN != "" && !arnShape.MatchString(inst.InstanceProfileARN):
						bad.add("instance %q: instance profile ARN %q is not an ARN", inst.ID, inst.InstanceProfileARN)
					default:
						e.Instances = append(e.Instances, inst)
					}
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
	c.snap.EC2Instances = entries
	return c.regionalError(r, describeInstances, results)
}
