package adapters

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// maxProductReads is how many catalogue products DealBundle reads at once.
const maxProductReads = 8

// productsByIDsFrom is how many codes must be missing before they are read with the products list by ids
// (10 tokens for up to 100) rather than one product at a time (1 token each).
const productsByIDsFrom = 11

// productCodes returns the code (SKU) of each catalogue product named, by which the invoice matches it to a QuickBooks item. Pipedrive
// keeps the code on the catalogue product (GET /api/v2/products/{id}), not
// on the deal product, so the codes not read before are read at once
// (one product at a time, or from eleven on, 100 at a time by ids, whichever
// costs fewer tokens); codes are kept per adapter. A product that is gone or
// hidden has no code.
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

	if len(missing) >= productsByIDsFrom {
		products, err := p.client.ProductsByIDs(ctx, missing)
		if err != nil {
			return nil, p.fail(fmt.Sprintf("read %d products", len(missing)), err)
		}
		read := make(map[int64]string, len(products))
		for _, pr := range products {
			read[pr.ID] = pr.Code
		}
		p.mu.Lock()
		for _, id := range missing {
			p.codes[id] = read[id] // left out: gone or hidden, so no code
		}
		p.mu.Unlock()
		return p.knownCodes(productIDs), nil
	}

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
	return p.codesOf(productIDs), nil
}

// knownCodes returns the codes known of the products.
func (p *Pipedrive) knownCodes(productIDs []int64) map[int64]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.codesOf(productIDs)
}

// codesOf returns the codes known of the products. Caller holds p.mu.
func (p *Pipedrive) codesOf(productIDs []int64) map[int64]string {
	codes := make(map[int64]string, len(productIDs))
	for _, id := range productIDs {
		codes[id] = p.codes[id]
	}
	return codes
}
