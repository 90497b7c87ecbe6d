package adapters

import (
	"context"
	"testing"
	"time"
)

// BenchmarkTeamWriteBack measures, with the fake's token accounting, what sharing through Pipedrive costs
// two reps with the deal fields chosen: A creating an invoice (the whole creation, note and fields
// included), B's first refresh that files it under its deal, both refreshing after a payment (the note
// and the fields rewritten once, the other rep reading and writing nothing), and both refreshing again
// with nothing changed.
func BenchmarkTeamWriteBack(b *testing.B) {
	ctx := context.Background()
	var create, found, paid, idle int
	for b.Loop() {
		w, a, rb := newTeam(b)
		chooseDealFields(b, a, a, rb)
		deal := w.usDeal(b)
		refresh := func(reps ...teamRep) int {
			before := w.pd.fake.Tokens()
			for _, r := range reps {
				if _, err := r.svc.Refresh(ctx); err != nil {
					b.Fatal(err)
				}
			}
			return w.pd.fake.Tokens() - before
		}
		before := w.pd.fake.Tokens()
		res := a.create(b, deal.ID)
		create += w.pd.fake.Tokens() - before
		found += refresh(rb)
		w.clock.Advance(15 * time.Minute)
		if _, err := w.qb.fake.RecordPayment(res.Invoice.ID, res.Invoice.Total); err != nil {
			b.Fatal(err)
		}
		paid += refresh(a, rb)
		w.clock.Advance(15 * time.Minute)
		idle += refresh(a, rb)
	}
	n := float64(b.N)
	b.ReportMetric(float64(create)/n, "tokens/create")
	b.ReportMetric(float64(found)/n, "tokens/teammate-first-refresh")
	b.ReportMetric(float64(paid)/n, "tokens/payment-two-refreshes")
	b.ReportMetric(float64(idle)/n, "tokens/idle-two-refreshes")
}
