package pipedrive

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"dealbooks/integrations/pipedrive/pipedrivefake"
)

// BenchmarkAllDeals1200 measures the requests needed to read 1,200 deals (pages of 500).
func BenchmarkAllDeals1200(b *testing.B) {
	h := newHarness(b, 1200)
	ctx := context.Background()
	start := h.fake.Count("GET /api/v2/deals")
	for b.Loop() {
		if _, err := h.c.AllDeals(ctx, DealsQuery{Limit: MaxPageSize}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(h.fake.Count("GET /api/v2/deals")-start)/float64(b.N), "requests/op")
}

// BenchmarkInvoiceInputs measures the requests needed to read everything an invoice needs from one deal:
// the deal, its organization, person, products and discounts. The client paces itself under the fake's burst
// limit (80 per 2 s); a call the fake refused anyway would be retried, and is not counted.
func BenchmarkInvoiceInputs(b *testing.B) {
	h := newHarness(b, 300)
	ctx := context.Background()
	start := len(h.fake.Requests())
	for b.Loop() {
		d, err := h.c.Deal(ctx, 11)
		if err != nil {
			b.Fatal(err)
		}
		if d.OrgID != 0 {
			if _, err := h.c.Organization(ctx, d.OrgID); err != nil {
				b.Fatal(err)
			}
		}
		if d.PersonID != 0 {
			if _, err := h.c.Person(ctx, d.PersonID); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := h.c.DealProducts(ctx, d.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := h.c.DealDiscounts(ctx, d.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(h.fake.Requests())-start-h.fake.Rejected())/float64(b.N), "requests/op")
}

// BenchmarkListing10000Deals measures a full listing of 10,000 deals with the names of their organizations and
// persons, as the deal list needs them: requests per listing and the requests Pipedrive refused (429) for going
// over the token's burst limit, on the lowest plan's API token (20 per 2 s) and an OAuth token (80 per 2 s).
// The fake and the client share a clock that moves only when the client waits, so the pacing costs no wall time
// and its waits are reported as simulated seconds. The target is 0 refusals.
func BenchmarkListing10000Deals(b *testing.B) {
	for _, burst := range []int{20, 80} {
		b.Run(fmt.Sprintf("burst%d", burst), func(b *testing.B) {
			clk := newTestClock()
			data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 7, Deals: 10000})
			fake := pipedrivefake.New(pipedrivefake.Options{Now: clk.Now, Dataset: &data, BurstLimit: burst})
			srv := httptest.NewServer(fake)
			b.Cleanup(srv.Close)
			c, err := New(Config{APIToken: pipedrivefake.DefaultAPIToken, BaseURL: srv.URL, Clock: clk})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			requests, refused, tokens, start := len(fake.Requests()), fake.Rejected(), fake.Tokens(), clk.Now()
			for b.Loop() {
				deals, err := c.AllDeals(ctx, DealsQuery{})
				if err != nil {
					b.Fatal(err)
				}
				if len(deals) != 10000 {
					b.Fatalf("listed %d deals, want 10000", len(deals))
				}
				var orgs, persons []int64
				seenOrg, seenPerson := map[int64]bool{}, map[int64]bool{}
				for _, d := range deals {
					if d.OrgID != 0 && !seenOrg[d.OrgID] {
						seenOrg[d.OrgID] = true
						orgs = append(orgs, d.OrgID)
					}
					if d.PersonID != 0 && !seenPerson[d.PersonID] {
						seenPerson[d.PersonID] = true
						persons = append(persons, d.PersonID)
					}
				}
				if _, err := c.OrganizationsByIDs(ctx, orgs); err != nil {
					b.Fatal(err)
				}
				if _, err := c.PersonsByIDs(ctx, persons); err != nil {
					b.Fatal(err)
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(len(fake.Requests())-requests)/n, "requests/op")
			b.ReportMetric(float64(fake.Rejected()-refused)/n, "refusals/op")
			b.ReportMetric(float64(fake.Tokens()-tokens)/n, "pipedrive-tokens/op")
			b.ReportMetric(clk.Now().Sub(start).Seconds()/n, "paced-s/op")
		})
	}
}
