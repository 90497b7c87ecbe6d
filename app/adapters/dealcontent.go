package adapters

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
)

// dealContentKind is the reference cache kind under which a deal's products and discounts are kept.
func dealContentKind(dealID int64) string {
	return "pipedrive.deal-content:" + strconv.FormatInt(dealID, 10)
}

// dealContent is a deal's product lines (with their catalogue codes) and deal-level discounts as read
// when the deal's update_time was UpdateTime. They cost 20 of a draft's tokens (10 each) and are used
// again, without a lifetime, while the deal read afresh still has that update_time.
//
// UNVERIFIED: that Pipedrive moves a deal's update_time whenever its products or discounts change (they
// change the deal's value). Safe even if not: the deal, and so its value, is always read afresh, and
// invoicing.Reconcile names any difference between the invoice and that value before Create.
type dealContent struct {
	UpdateTime time.Time
	Products   []invoicing.DealProduct
	Discounts  []invoicing.Discount
	// DiscountsUnread: the lines were read along with another deal's (readLines) and the discounts not
	// at all; the draft that uses the lines reads them, unless the deal's value proves there are none.
	DiscountsUnread bool `json:",omitempty"`
}

// newDealContent maps the products read for the deal whose update_time was updated; the discounts are
// still to be read.
func newDealContent(updated time.Time, products []pipedrive.DealProduct) dealContent {
	c := dealContent{UpdateTime: updated, DiscountsUnread: true}
	for _, dp := range products {
		c.Products = append(c.Products, dealProduct(dp))
	}
	return c
}

// withDiscounts returns the content with the deal-level discounts read.
func (c dealContent) withDiscounts(discounts []pipedrive.DealDiscount) dealContent {
	c.Discounts, c.DiscountsUnread = nil, false
	for _, dd := range discounts {
		c.Discounts = append(c.Discounts, discount(dd.Description, dd.Type, dd.Amount))
	}
	return c
}

func (c dealContent) productIDs() []int64 {
	ids := make([]int64, 0, len(c.Products))
	for _, p := range c.Products {
		ids = append(ids, p.ProductID)
	}
	return ids
}

// withCodes returns the content with each product's catalogue code from codes.
func (c dealContent) withCodes(codes map[int64]string) dealContent {
	c.Products = slices.Clone(c.Products)
	for i := range c.Products {
		c.Products[i].Code = codes[c.Products[i].ProductID]
	}
	return c
}

// dealContent returns the content kept for the deal and when its codes were read; false when there is
// none (or no cache, or the store fails: that only costs the reads).
func (c *ReferenceCache) dealContent(ctx context.Context, dealID int64) (dealContent, time.Time, bool) {
	if c == nil {
		return dealContent{}, time.Time{}, false
	}
	body, at, err := c.store.Reference(ctx, dealContentKind(dealID))
	var kept dealContent
	if err != nil || json.Unmarshal(body, &kept) != nil || kept.UpdateTime.IsZero() {
		return dealContent{}, time.Time{}, false
	}
	return kept, at, true
}

// keepDealContent stores the deal's content, its codes read at codesAt.
func (c *ReferenceCache) keepDealContent(ctx context.Context, dealID int64, content dealContent, codesAt time.Time) {
	if c == nil || content.UpdateTime.IsZero() {
		return
	}
	if body, err := json.Marshal(content); err == nil {
		_ = c.store.SaveReference(ctx, dealContentKind(dealID), body, codesAt)
	}
}

// instant is the cache's clock's time; zero without a cache.
func (c *ReferenceCache) instant() time.Time {
	if c == nil {
		return time.Time{}
	}
	return c.now()
}

// fresh reports whether data of kind read at fetched is younger than the kind's lifetime.
func (c *ReferenceCache) fresh(fetched time.Time, kind string) bool {
	if c == nil {
		return false
	}
	age := c.now().Sub(fetched)
	return age >= 0 && age < Lifetimes[kind]
}

// DealLister is the local deal list, newest first: the pair's offline store (store.Repository) is one.
// A ReferenceCache over a store that is also a DealLister reads the lines of the deals a rep is likely to
// open next along with the lines a draft needs (readLines).
type DealLister interface {
	Deals(ctx context.Context, q invoicing.DealQuery) ([]invoicing.Deal, error)
}

// companionScan is how many deals of the local list companions looks through at most.
const companionScan = 500

// companions returns up to n deals besides dealID whose lines a draft is likely to need next, with their
// update_time as the local deal list has it: the most recently updated open and won deals (those the
// picker lists first) with no content kept for that update_time. None without a DealLister.
func (c *ReferenceCache) companions(ctx context.Context, dealID int64, n int) map[int64]time.Time {
	lister, ok := c.lister()
	if !ok || n <= 0 {
		return nil
	}
	deals, err := lister.Deals(ctx, invoicing.DealQuery{Statuses: []invoicing.DealStatus{invoicing.DealOpen, invoicing.DealWon},
		Limit: companionScan})
	if err != nil {
		return nil // the list only saves tokens; the draft does without
	}
	out := map[int64]time.Time{}
	for _, d := range deals {
		if d.ID == dealID || d.UpdatedAt.IsZero() {
			continue
		}
		if kept, _, ok := c.dealContent(ctx, d.ID); ok && kept.UpdateTime.Equal(d.UpdatedAt) {
			continue
		}
		out[d.ID] = d.UpdatedAt
		if len(out) == n {
			break
		}
	}
	return out
}

func (c *ReferenceCache) lister() (DealLister, bool) {
	if c == nil {
		return nil, false
	}
	l, ok := c.store.(DealLister)
	return l, ok
}

// lineBatch is what readLines found: the lines of the deal drafted, and those of the companion deals read
// with them (by deal, each deal's complete, with the update_time the local list gave it).
type lineBatch struct {
	lines      []pipedrive.DealProduct
	companions map[int64]dealContent
}

// readLines reads the deal's product lines. With companions (ReferenceCache.companions) they come from
// one GET /api/v2/deals/products naming the deal and up to 99 others, for the 10 tokens of the deal's
// own list; the lines are ordered by deal, so a page holds every deal before its last complete. Should
// the first page end before the drafted deal's lines are all in, they are read by themselves (10 tokens
// more) rather than page on through other deals' lines.
func (p *Pipedrive) readLines(ctx context.Context, refs *ReferenceCache, dealID int64) (lineBatch, error) {
	others := refs.companions(ctx, dealID, pipedrive.MaxDealIDs-1)
	if len(others) == 0 {
		lines, err := p.client.DealProducts(ctx, dealID)
		if err != nil {
			return lineBatch{}, p.fail(fmt.Sprintf("read products of deal %d", dealID), err)
		}
		return lineBatch{lines: lines}, nil
	}
	ids := append([]int64{dealID}, slices.Sorted(func(yield func(int64) bool) {
		for id := range others {
			if !yield(id) {
				return
			}
		}
	})...)
	page, err := p.client.DealsProductsPage(ctx, ids, "")
	if err != nil {
		return lineBatch{}, p.fail(fmt.Sprintf("read products of deal %d and %d more", dealID, len(others)), err)
	}
	byDeal := map[int64][]pipedrive.DealProduct{}
	for _, l := range page.Items {
		byDeal[l.DealID] = append(byDeal[l.DealID], l)
	}
	complete := func(id int64) bool { return true }
	if page.NextCursor != "" {
		last := int64(0)
		if n := len(page.Items); n > 0 {
			last = page.Items[n-1].DealID
		}
		complete = func(id int64) bool { return id < last }
	}
	out := lineBatch{companions: map[int64]dealContent{}}
	for id, updated := range others {
		if complete(id) {
			out.companions[id] = newDealContent(updated, inDealOrder(byDeal[id]))
		}
	}
	if !complete(dealID) {
		if out.lines, err = p.client.DealProducts(ctx, dealID); err != nil {
			return lineBatch{}, p.fail(fmt.Sprintf("read products of deal %d", dealID), err)
		}
		return out, nil
	}
	out.lines = inDealOrder(byDeal[dealID])
	return out, nil
}

// inDealOrder sorts one deal's lines as the deal's own list does with sort_by=order_nr.
func inDealOrder(lines []pipedrive.DealProduct) []pipedrive.DealProduct {
	slices.SortFunc(lines, func(a, b pipedrive.DealProduct) int {
		return cmp.Or(cmp.Compare(a.OrderNr, b.OrderNr), cmp.Compare(a.ID, b.ID))
	})
	return lines
}

// provesNoDealDiscount reports whether the deal's value shows that it has no deal-level discount, sparing
// the 10 tokens of reading them.
//
// Documented (v2 spec, POST /deals/{id}/discounts): adding a discount changes the deal value "if the deal
// has one-time products attached", and its amount "Must be a positive number (excluding 0)": a discount
// lowers the value of a deal with one-time products. Not documented: whether the value includes the tax
// that tax-exclusive lines add on top, and how that tax is rounded. So the value is held against the
// highest value the lines could give without a discount under any of those readings: every line's sum,
// plus, on tax-exclusive lines, the sum's tax rounded up to the currency's minor unit. A discount puts
// the value below that under each reading (with tax on top, the discount lowers the taxed amount too), so
// a value equal to it proves there is none. No lines, no one-time line with a positive sum, or any other
// value proves nothing: the discounts are read. (A deal whose lines' tax is not whole cents, tax-exclusive,
// never proves it: its discounts are always read.)
func provesNoDealDiscount(value decimal.Decimal, currency string, lines []invoicing.DealProduct) bool {
	places := invoicing.CurrencyDecimals(currency)
	bound, oneTime := decimal.Zero, false
	for _, l := range lines {
		bound = bound.Add(l.Sum)
		if l.TaxMethod == invoicing.TaxMethodExclusive {
			bound = bound.Add(l.Sum.Mul(l.TaxRate).Div(decimal.NewFromInt(100)).RoundCeil(places))
		}
		if (l.BillingFrequency == "" || l.BillingFrequency == pipedrive.BillingOneTime) && l.Sum.IsPositive() {
			oneTime = true
		}
	}
	return oneTime && value.Equal(bound)
}
