package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/internal/clock"
)

// tipWindow is an 800×600 window whose tips wait on a manual clock.
func tipWindow(t *testing.T) (*MainWindow, *clock.Manual) {
	t.Helper()
	m := layoutWindow(t, longNamesService(), "en", layoutSizes[0])
	clk := clock.NewManual(time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC))
	m.bg.clock = clk.AfterFunc
	return m, clk
}

// pointAt is a point inside o, in the window.
func pointAt(o fyne.CanvasObject) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(fyne.NewPos(12, o.Size().Height/2))
}

// dealRowTitled returns the drawn deal row with title.
func dealRowTitled(t *testing.T, m *MainWindow, title string) *dealRow {
	t.Helper()
	for _, r := range rowsOf[*dealRow](m.deals.picker.view) {
		if r.title.Text == title {
			return r
		}
	}
	t.Fatalf("no row shows %q", title)
	return nil
}

func TestACutCellShowsWholeOnceThePointerRestsOnIt(t *testing.T) {
	m, clk := tipWindow(t)
	c := m.window.Canvas()
	long, short := dealRowTitled(t, m, longTitle), dealRowTitled(t, m, "Globex rollout")

	test.MoveMouse(c, pointAt(long.title))
	if got := m.tips.shown(); got != "" {
		t.Fatalf("a tip shows before the pointer rested: %q", got)
	}
	clk.Advance(tipDelay)
	if got := m.tips.shown(); got != longTitle {
		t.Fatalf("resting on the cut title shows %q, want the whole title", got)
	}
	at, size, area := m.tips.tip.Position(), m.tips.tip.Size(), c.Size()
	if at.X < 0 || at.Y < 0 || at.X+size.Width > area.Width || at.Y+size.Height > area.Height {
		t.Errorf("the tip at %v, %v is not inside the %v window", at, size, area)
	}
	if size.Width < m.tips.text.MinSize().Width || size.Height < m.tips.text.MinSize().Height {
		t.Errorf("the tip is %v, smaller than its text's %v", size, m.tips.text.MinSize())
	}

	test.MoveMouse(c, pointAt(long.org))
	clk.Advance(tipDelay)
	if got := m.tips.shown(); got != longOrg {
		t.Errorf("resting on the cut organization shows %q, want it whole", got)
	}

	test.MoveMouse(c, pointAt(short.title))
	if got := m.tips.shown(); got != "" {
		t.Errorf("moving to a short title leaves the tip %q", got)
	}
	clk.Advance(tipDelay)
	if got := m.tips.shown(); got != "" {
		t.Errorf("a title shown whole gets a tip: %q", got)
	}

	test.MoveMouse(c, pointAt(long.title))
	clk.Advance(tipDelay)
	test.MoveMouse(c, fyne.NewPos(area.Width-5, area.Height-5)) // the status bar
	if got := m.tips.shown(); got != "" {
		t.Errorf("the tip %q stays after the pointer left the row", got)
	}
}

func TestAClickOnADealWhoseTipShowsOpensTheDeal(t *testing.T) {
	m, clk := tipWindow(t)
	c := m.window.Canvas()
	at := pointAt(dealRowTitled(t, m, longTitle).title)
	test.MoveMouse(c, at)
	clk.Advance(tipDelay)
	if m.tips.shown() == "" {
		t.Fatal("no tip to click through")
	}
	test.TapCanvas(c, at)
	if m.deals.deal == nil || m.deals.deal.editor.deal.Title != longTitle {
		t.Error("the click went to the tip, not to the deal")
	}
}

func TestTheInvoiceTablesCutCellsShowWhole(t *testing.T) {
	m, clk := tipWindow(t)
	m.tabs.SelectIndex(tabInvoices)
	layOut(m)
	rows := rowsOf[*invoiceRow](m.invoices.list.list)
	if len(rows) != 1 {
		t.Fatalf("%d invoice rows drawn", len(rows))
	}
	cases := []struct {
		cell *widget.Label
		want string
	}{
		{rows[0].customer, longCustomer},
		{rows[0].issued, ""}, // dates show whole
	}
	for _, tc := range cases {
		test.MoveMouse(m.window.Canvas(), pointAt(tc.cell))
		clk.Advance(tipDelay)
		if got := m.tips.shown(); got != tc.want {
			t.Errorf("resting on %q shows the tip %q, want %q", tc.cell.Text, got, tc.want)
		}
	}
}

func TestTheMainButtonsTellTheirShortcut(t *testing.T) {
	m, clk := tipWindow(t)
	c := m.window.Canvas()
	p := m.deals.picker
	test.MoveMouse(c, pointAt(p.refresh))
	clk.Advance(tipDelay)
	if got, want := m.tips.shown(), shortcutText(keyRefresh); got != want {
		t.Errorf("Get new deals tips %q, want %q", got, want)
	}
	test.MoveMouse(c, pointAt(p.search))
	clk.Advance(tipDelay)
	if got, want := m.tips.shown(), shortcutText(keyFind); got != want {
		t.Errorf("the search tips %q, want %q", got, want)
	}

	v := openEditor(t, m)
	layOut(m)
	test.MoveMouse(c, pointAt(v.editor.create))
	clk.Advance(tipDelay)
	if got, want := m.tips.shown(), shortcutText(keyCreate); got != want {
		t.Errorf("Create invoice tips %q, want %q", got, want)
	}
	v.tabs.SelectIndex(dealTabHistory)
	layOut(m)
	test.MoveMouse(c, pointAt(v.history.refresh))
	clk.Advance(tipDelay)
	if got, want := m.tips.shown(), shortcutText(keyRefresh); got != want {
		t.Errorf("the history's Refresh tips %q, want %q", got, want)
	}
}
