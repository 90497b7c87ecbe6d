package ui

import (
	"fmt"
	"testing"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// manyDeals returns n deals as the cache lists them: open and won first, newest first.
func manyDeals(n int) []invoicing.Deal {
	deals := make([]invoicing.Deal, n)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	statuses := []invoicing.DealStatus{invoicing.DealOpen, invoicing.DealWon, invoicing.DealLost}
	for i := range deals {
		deals[i] = invoicing.Deal{
			ID: int64(i + 1), Title: fmt.Sprintf("Deal %d", i+1), OrgName: fmt.Sprintf("Organization %d", i%700),
			Value: testkit.Dec(fmt.Sprintf("%d.50", 100+i)), Currency: "EUR", Status: statuses[i*3/n], OwnerID: int64(i % 12),
			UpdatedAt: start.Add(-time.Duration(i) * time.Minute),
		}
	}
	return deals
}

// BenchmarkDealPickerCreate10000 builds the picker over 10,000 cached deals and draws it.
func BenchmarkDealPickerCreate10000(b *testing.B) {
	svc := sampleService()
	svc.deals = manyDeals(10000)
	m := newScreensWindow(b, svc, &savedFile{})
	b.ReportAllocs()
	for b.Loop() {
		p := newDealPicker(m, func(invoicing.Deal) {})
		m.window.SetContent(p.content)
	}
}

// BenchmarkDealPickerScroll10000 scrolls the list of 10,000 deals by a jump, redrawing the rows that come into view.
func BenchmarkDealPickerScroll10000(b *testing.B) {
	svc := sampleService()
	svc.deals = manyDeals(10000)
	m := newScreensWindow(b, svc, &savedFile{})
	p := m.deals.picker
	p.status.SetSelectedIndex(statusAll)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = (i + 997) % len(p.shown)
		p.list.ScrollTo(i)
	}
}

// BenchmarkDealPickerFilter10000 types a character into the search and deletes it: two filters over 10,000 deals.
func BenchmarkDealPickerFilter10000(b *testing.B) {
	svc := sampleService()
	svc.deals = manyDeals(10000)
	m := newScreensWindow(b, svc, &savedFile{})
	p := m.deals.picker
	p.status.SetSelectedIndex(statusAll)
	p.search.SetText("organization 4")
	b.ReportAllocs()
	for b.Loop() {
		p.search.SetText("organization 42")
		p.search.SetText("organization 4")
	}
}
