package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"dealbooks/integrations/internal/httpx"
)

// listV1 reads every page of a v1 listing at path, filtered by filter, in pages of MaxPageSize. v1 pages by
// start position (additional_data.pagination), not by cursor as v2 does. A start position that comes back, or
// more pages than the client allows, ends it with an error matching ErrEndlessListing.
func listV1[T any](ctx context.Context, c *Client, path string, filter url.Values) ([]T, error) {
	var all []T
	pager := httpx.Pager{Limit: c.maxPages}
	start := ""
	for {
		if err := pager.Next(start); err != nil {
			return all, fmt.Errorf("pipedrive: GET %s: %w", path, err)
		}
		query := url.Values{"limit": {strconv.Itoa(MaxPageSize)}}
		for k, v := range filter {
			query[k] = v
		}
		if start != "" {
			query.Set("start", start)
		}
		var page []T
		env, err := c.do(ctx, request{method: http.MethodGet, path: path, query: query}, &page)
		if err != nil {
			return all, err
		}
		all = append(all, page...)
		more := env.AdditionalData.Pagination
		if !more.MoreItems || more.NextStart <= 0 {
			return all, nil
		}
		start = strconv.Itoa(more.NextStart)
	}
}
