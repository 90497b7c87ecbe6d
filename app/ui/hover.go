package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne v2.8.1 has no tooltips, so the window has its own: the full text of a cut table cell, and the keyboard
// shortcut of a main button, shown once the pointer rests on it.

// tipDelay is how long the pointer rests on something before its tip shows, as on Windows and macOS.
const tipDelay = 600 * time.Millisecond

// keyEscapeText is the Esc key as the tip of a button it works as.
const keyEscapeText = "Esc"

// tipMaxWidth is the widest a tip grows before its text wraps.
const tipMaxWidth = 480

// tips shows one tip at a time, in a layer above the window's content. The layer is not a widget.PopUp: a
// pop-up catches every pointer event of the window while it shows, so the click on a deal whose title a tip
// shows would only close the tip. The layer reacts to nothing, and the click goes to the deal.
type tips struct {
	bg    *background
	layer *fyne.Container // above the window's content; holds the tip while one shows
	tip   *fyne.Container // the shown tip: a box and its text
	text  *widget.Label

	owner any    // what the pointer rests on, or nil
	stop  func() // stops the wait for the pointer to rest; nil while none runs
}

func newTips(bg *background) *tips {
	t := &tips{bg: bg, layer: container.NewWithoutLayout()}
	t.text = label(&widget.Label{Wrapping: fyne.TextWrapWord})
	box := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	box.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	box.StrokeWidth = 1
	box.CornerRadius = theme.InputRadiusSize()
	t.tip = container.NewStack(box, t.text)
	t.tip.Hide()
	t.layer.Add(t.tip)
	return t
}

// over puts the tip layer over content, for the window's SetContent.
func (t *tips) over(content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(content, t.layer)
}

// rest says the pointer is at pos (absolute, in the window) over owner, which would show text there ("" for
// nothing to show). A tip already showing that text stays; otherwise the wait for the pointer to rest starts
// again, so the tip shows once the pointer has stopped moving for tipDelay.
func (t *tips) rest(owner any, pos fyne.Position, text string) {
	if owner == t.owner && text != "" && text == t.shown() {
		return
	}
	t.hide()
	t.owner = owner
	if text == "" {
		return
	}
	t.stop = t.bg.after(tipDelay, func() {
		t.stop = nil
		t.show(text, pos)
	})
}

// leave says the pointer left owner: its tip goes, or never shows.
func (t *tips) leave(owner any) {
	if owner == t.owner {
		t.hide()
		t.owner = nil
	}
}

// shown returns the text of the tip showing, or "".
func (t *tips) shown() string {
	if t.tip.Hidden {
		return ""
	}
	return t.text.Text
}

func (t *tips) hide() {
	if t.stop != nil {
		t.stop()
		t.stop = nil
	}
	if !t.tip.Hidden {
		t.tip.Hide()
		t.layer.Refresh()
	}
}

// show puts text in a box below the pointer at pos, inside the window.
func (t *tips) show(text string, pos fyne.Position) {
	area := t.layer.Size()
	pad := theme.InnerPadding()
	width := min(textWidth(text, fyne.TextStyle{}), tipMaxWidth, max(area.Width-2*pad, 0))
	t.text.SetText(text)
	t.text.Resize(fyne.NewSize(width, 0))
	size := fyne.NewSize(width, t.text.MinSize().Height)
	x := min(pos.X, area.Width-size.Width)
	y := pos.Y + 2*theme.IconInlineSize() // below the pointer's arrow
	if y+size.Height > area.Height {
		y = pos.Y - size.Height - theme.Padding() // no room below: above the pointer
	}
	t.tip.Move(fyne.NewPos(max(x, 0), max(y, 0)))
	t.tip.Resize(size)
	t.tip.Show()
	t.layer.Refresh()
}

// cut reports whether a single-line label shows less than its whole text.
func cut(l *widget.Label) bool {
	return l.Visible() && l.Text != "" && textWidth(l.Text, l.TextStyle) > l.Size().Width+0.5
}

// cellTips gives a table row the full text of its cut cells on hover. The row draws its own hover highlight:
// as the list's row widget no longer hears the pointer once the row does, the row takes over its highlight.
type cellTips struct {
	tips      *tips
	cells     []*widget.Label
	highlight *canvas.Rectangle
}

// newCellTips gives the full text of cells on hover; the row lays highlight under its cells.
func newCellTips(t *tips, cells ...*widget.Label) cellTips {
	h := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	h.CornerRadius = theme.SelectionRadiusSize()
	h.Hide()
	return cellTips{tips: t, cells: cells, highlight: h}
}

// under returns the text of the cut cell at pos in the row, or "".
func (c *cellTips) under(pos fyne.Position) string {
	for _, l := range c.cells {
		p, s := l.Position(), l.Size()
		if pos.X >= p.X && pos.X < p.X+s.Width && cut(l) {
			return l.Text
		}
	}
	return ""
}

func (c *cellTips) MouseIn(ev *desktop.MouseEvent) {
	c.highlight.FillColor = theme.Color(theme.ColorNameHover)
	c.highlight.Show()
	c.highlight.Refresh()
	c.MouseMoved(ev)
}

func (c *cellTips) MouseMoved(ev *desktop.MouseEvent) {
	c.tips.rest(c, ev.AbsolutePosition, c.under(ev.Position))
}

func (c *cellTips) MouseOut() {
	c.highlight.Hide()
	c.highlight.Refresh()
	c.tips.leave(c)
}

// tipped lays a widget under a tip. A pointer catcher lies over the widget (the driver tells the topmost object
// that hears the pointer, never the one under it) and hands the pointer's moves on to a widget that hears them,
// so a button still lights up; taps, keys and the wheel go to the widget as before.
type tipped struct {
	widget.BaseWidget
	content fyne.CanvasObject
	catcher *tipCatcher
}

// withTip shows text when the pointer rests on o.
func withTip(t *tips, o fyne.CanvasObject, text string) *tipped {
	return newTipped(t, o, func() string { return text })
}

// withCutTip shows l's whole text when the pointer rests on l while its text is cut.
func withCutTip(t *tips, l *widget.Label) *tipped {
	return newTipped(t, l, func() string {
		if cut(l) {
			return l.Text
		}
		return ""
	})
}

func newTipped(t *tips, o fyne.CanvasObject, text func() string) *tipped {
	c := &tipCatcher{tips: t, under: o, text: text}
	c.ExtendBaseWidget(c)
	w := &tipped{content: o, catcher: c}
	w.ExtendBaseWidget(w)
	return w
}

func (w *tipped) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(w.content, w.catcher))
}

// Visible is the content's: a hidden button takes no room in a row, with or without its tip.
func (w *tipped) Visible() bool { return w.content.Visible() }

// tipCatcher hears the pointer over a tipped widget.
type tipCatcher struct {
	widget.BaseWidget
	tips  *tips
	under fyne.CanvasObject
	text  func() string // what the tip says; "" for no tip
}

func (c *tipCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

func (c *tipCatcher) MouseIn(ev *desktop.MouseEvent) {
	if h, ok := c.under.(desktop.Hoverable); ok {
		h.MouseIn(ev)
	}
	c.tips.rest(c, ev.AbsolutePosition, c.text())
}

func (c *tipCatcher) MouseMoved(ev *desktop.MouseEvent) {
	if h, ok := c.under.(desktop.Hoverable); ok {
		h.MouseMoved(ev)
	}
	c.tips.rest(c, ev.AbsolutePosition, c.text())
}

func (c *tipCatcher) MouseOut() {
	if h, ok := c.under.(desktop.Hoverable); ok {
		h.MouseOut()
	}
	c.tips.leave(c)
}
