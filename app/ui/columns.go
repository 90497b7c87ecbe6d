package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// columns puts cells side by side, each taking its weight's share of the width, so a header and every row
// under it keep their columns aligned whatever their contents. A column never gets less than its minimum
// width (mins, if set); when the width cannot hold them all, the columns in hide go first, in that order,
// so a narrow window drops the least important columns instead of drawing cells over each other.
type columns struct {
	weights []float32 // one per cell
	mins    []float32 // one per cell, or nil for none
	hide    []int     // the cells to hide, least important first, when the minimums do not fit
	// trailing is kept free at the right: in a scrolled list the scroll bar is drawn over the rows' right
	// edge, and an amount or status there would sit under it.
	trailing float32
}

// scrollBarRoom is what a row of a scrolled list keeps free at its right for the scroll bar: the bar's width
// when the pointer is on it.
func scrollBarRoom() float32 { return theme.ScrollBarSize() }

// shown says which cells fit in width.
func (c columns) shown(n int, width float32) []bool {
	show := make([]bool, n)
	for i := range show {
		show[i] = true
	}
	if c.mins == nil {
		return show
	}
	pad := theme.Padding()
	need := func() float32 {
		var sum float32
		count := 0
		for i, s := range show {
			if s {
				sum += c.mins[i]
				count++
			}
		}
		return sum + pad*float32(max(count-1, 0))
	}
	for _, h := range c.hide {
		if need() <= width {
			break
		}
		show[h] = false
	}
	return show
}

func (c columns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	size.Width = max(size.Width-c.trailing, 0)
	show := c.shown(len(objects), size.Width)
	count := 0
	var total, mins float32
	for i := range objects {
		if show[i] {
			count++
			total += c.weights[i]
			if c.mins != nil {
				mins += c.mins[i]
			}
		}
	}
	width := size.Width - pad*float32(max(count-1, 0))
	extra := max(width-mins, 0) // shared by weight, over each column's minimum
	x := float32(0)
	for i, o := range objects {
		if !show[i] {
			o.Hide()
			continue
		}
		o.Show()
		w := extra * c.weights[i] / total
		if c.mins != nil {
			w += c.mins[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

func (c columns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var height float32
	for _, o := range objects {
		height = max(height, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objects))*theme.Padding()+c.trailing, height)
}

// textWidth is the width a label needs to show text whole.
func textWidth(text string, style fyne.TextStyle) float32 {
	return fyne.MeasureText(text, theme.TextSize(), style).Width + 2*theme.InnerPadding()
}

// wideSelect lays out s at least as wide as its longest option, so a chosen option is never cut to "…"
// (widget.Select's own minimum fits only its placeholder). The width follows the options as they change.
func wideSelect(s *widget.Select) fyne.CanvasObject {
	return container.New(selectWidth{s}, s)
}

type selectWidth struct{ s *widget.Select }

func (l selectWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l selectWidth) MinSize([]fyne.CanvasObject) fyne.Size {
	size := l.s.MinSize()
	size.Width = max(size.Width, selectMinWidth(l.s.Options))
	return size
}

// selectMinWidth is the width of a widget.Select that shows the longest of options whole: widget.Select's own
// measure of its placeholder, applied to each option.
func selectMinWidth(options []string) float32 {
	var text float32
	for _, o := range options {
		text = max(text, fyne.MeasureText(o, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	return text + 4*theme.InnerPadding() + theme.IconInlineSize()
}

// formScroll scrolls a form of text fields up and down. The wheel scrolls the form wherever the pointer is,
// over a text field too: a field's own scroller would otherwise take the wheel, and the form would stop
// scrolling under the pointer. The form keeps the scroll bar's width free at its right, so the bar covers no
// amount or button.
func formScroll(form fyne.CanvasObject) *container.Scroll {
	w := &wheel{}
	w.ExtendBaseWidget(w)
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(scrollBarRoom(), 0))
	w.scroll = container.NewVScroll(container.NewStack(container.NewBorder(nil, nil, nil, room, form), w))
	return w.scroll
}

// wheel lies over a scrolled form and hands the wheel to the form's scroll; it takes no other event, so taps,
// the pointer's moves and the keys reach the fields under it.
type wheel struct {
	widget.BaseWidget
	scroll *container.Scroll
}

func (w *wheel) Scrolled(ev *fyne.ScrollEvent) { w.scroll.Scrolled(ev) }

func (w *wheel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// growRows makes a multi-line field as tall as its lines, and at least rows tall, so its text never scrolls
// inside the form and the wheel is the form's alone.
func growRows(f *textField, rows int) {
	changed := f.OnChanged
	f.SetMinRowsVisible(rows)
	f.OnChanged = func(s string) {
		f.SetMinRowsVisible(max(rows, strings.Count(s, "\n")+1))
		if changed != nil {
			changed(s)
		}
	}
}
