package adapters

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// maxProductReads is how many catalogue products DealBundle reads at once.
const maxProductReads = 8

// productCodes returns the code (SKU) of each catalogue product named, by which the invoice matches it to a QuickBooks item. Pipedrive
// keeps the code on the catalogue product (GET /api/v2/products/{id}), not
// on the deal product, so the codes not read before are read at once;
// codes are kept per adapter. A product that is gone or hidden has no code.
func (p *Pipedrive) productCodes(ctx context.Context, productIDs []int64) (map[int64]string, error) {
	p.mu.Lock()
	var missing []int64
	seen := map[int64]bool{}
	for _, id := range productIDs {
		if _, known := p.codes[id]; !known && id != 0 && !seen[id] {
			seen[id] = true
			missing = append(missing, id)
		}
	}
	p.mu.Unlock()

	read := make([]string, len(missing))
	found := make([]bool, len(missing))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxProductReads)
	for i, id := range missing {
		g.Go(func() error {
			pr, err := p.client.Product(gctx, id)
			if err == nil {
				read[i], found[i] = pr.Code, true
				return nil
			}
			if goneOrHidden(err) {
				found[i] = true
				return nil
			}
			return p.fail(fmt.Sprintf("read product %d", id), err)
		})
	}
	err := g.Wait()

	p.mu.Lock()
	defer p.mu.Unlock()
	for i, id := range missing {
		if found[i] {
			p.codes[id] = read[i]
		}
	}
	if err != nil {
		return nil, err
	}
	codes := make(map[int64]string, len(productIDs))
	for _, id := range productIDs {
		codes[id] = p.codes[id]
	}
	return codes, nil
}
