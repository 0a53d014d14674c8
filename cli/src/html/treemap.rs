//! The squarified treemap layout: rectangles whose areas follow the values, as square as
//! possible.

/// A rectangle of the treemap, in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rect {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
}

/// The worst aspect ratio of the rectangles of a row of areas laid along a side of length
/// `side`.
fn worst(row: &[f64], side: f64) -> f64 {
    let s: f64 = row.iter().sum();
    let (mx, mn) = row
        .iter()
        .fold((0.0f64, f64::MAX), |(a, b), &v| (a.max(v), b.min(v)));
    if s <= 0.0 || mn <= 0.0 {
        return f64::MAX;
    }
    let s2 = s * s;
    let w2 = side * side;
    (w2 * mx / s2).max(s2 / (w2 * mn))
}

/// Squarified treemap layout (Bruls, Huizing, van Wijk) of `values` (sorted largest first)
/// into `r`; values are scaled to fill `r` in proportion to their sum.
pub(super) fn squarify(values: &[f64], r: Rect) -> Vec<Rect> {
    let total: f64 = values.iter().sum();
    let mut out = Vec::with_capacity(values.len());
    if total <= 0.0 || r.w <= 0.0 || r.h <= 0.0 {
        return values
            .iter()
            .map(|_| Rect {
                w: 0.0,
                h: 0.0,
                ..r
            })
            .collect();
    }
    let scale = r.w * r.h / total;
    let areas: Vec<f64> = values.iter().map(|v| v * scale).collect();
    let mut free = r;
    let mut i = 0;
    while i < areas.len() {
        let side = free.w.min(free.h);
        // Grow the row while the worst aspect ratio does not get worse.
        let mut j = i + 1;
        while j < areas.len() && worst(&areas[i..=j], side) <= worst(&areas[i..j], side) {
            j += 1;
        }
        let row = &areas[i..j];
        let sum: f64 = row.iter().sum();
        // A column on the left of a wide space, else a row on top (a column of the transposed
        // space).
        free = column(row, sum, free, free.w < free.h, &mut out);
        i = j;
    }
    out
}

/// `r` with x and y swapped.
fn transposed(r: Rect) -> Rect {
    Rect {
        x: r.y,
        y: r.x,
        w: r.h,
        h: r.w,
    }
}

/// Lays `row` (areas summing to `sum`) as a column at the left of `free`, or, `flip`ped, as a
/// row on top of it; returns the space left.
fn column(row: &[f64], sum: f64, free: Rect, flip: bool, out: &mut Vec<Rect>) -> Rect {
    let unflip = |r: Rect| if flip { transposed(r) } else { r };
    let f = unflip(free);
    let cw = if f.h > 0.0 { sum / f.h } else { 0.0 };
    let mut y = f.y;
    for a in row {
        let hh = if cw > 0.0 { a / cw } else { 0.0 };
        out.push(unflip(Rect {
            x: f.x,
            y,
            w: cw,
            h: hh,
        }));
        y += hh;
    }
    unflip(Rect {
        x: f.x + cw,
        w: (f.w - cw).max(0.0),
        ..f
    })
}
