package ui

import (
	"context"

	"fyne.io/fyne/v2/lang"
)

// dealsReloader is a service that can fetch every deal again, not only the changes (*invoicing.Service).
type dealsReloader interface {
	ReloadDeals(ctx context.Context) (int, error)
}

// onReload fetches every deal from Pipedrive again, so a deal whose organization changed without the deal
// itself changing is current again.
func (p *dealPicker) onReload() {
	r, ok := p.m.deps.Invoicing.(dealsReloader)
	if !ok || p.stopRefresh != nil {
		return
	}
	p.fetch(r.ReloadDeals)
	p.showInfo(lang.X("deals.reloading", "Reloading every deal from Pipedrive…"))
}
