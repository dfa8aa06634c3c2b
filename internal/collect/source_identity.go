package collect

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const getCallerIdentity = "sts:GetCallerIdentity"

// callerIdentity: sts:GetCallerIdentity -> Account and Caller. The answer
// must name a 12-digit account and an ARN in it; otherwise nothing is
// recorded and the collection stops (Collect returns an *IdentityError).
func (c *collector) callerIdentity(ctx context.Context, r *run) error {
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return err
	}
	account, arn := str(out.Account), str(out.Arn)
	if !isAccountID(account) {
		return newActionError(getCallerIdentity, "MalformedAccountID", "GetCallerIdentity returned account %q, which is not a 12-digit AWS account ID", account)
	}
	partition, ok := arnPartition(arn)
	if !ok {
		return newActionError(getCallerIdentity, "MalformedCallerARN", "GetCallerIdentity returned %q, which is not an ARN; the partition is unknown", arn)
	}
	c.snap.Caller = &snapshot.Caller{ARN: arn, UserID: str(out.UserId), Account: account}
	c.snap.Account.ID = account
	c.snap.Account.Partition = partition
	return nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// arnPartition returns the partition field of arn:partition:service:...
func arnPartition(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] == "" || parts[5] == "" {
		return "", false
	}
	for _, r := range parts[1] {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return "", false
		}
	}
	return parts[1], true
}
