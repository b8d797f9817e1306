# sweep.gp: a summary of each configuration (say, the mean return over the first 100
# episodes) against a swept parameter, one line per algorithm (and per value of any other
# swept key, and per experiment when several are overlaid), with the 95% interval across
# runs as a band: Sutton & Barto's Figure 6.3 (interim and asymptotic performance of Sarsa,
# Expected Sarsa and Q-learning against alpha). Several metrics are panels of one figure.
#
#   gridrl plot results/x --what sweep        (writes PLOTS/sweep_return.csv, then this)
#   gnuplot -e "dir='results/x'; series='results/x/plots/sweep_series.tsv'" \
#           results/x/plots/sweep.gp
#
# Reads, for each metric M, data_M (default DIR/plots/sweep_M.csv), which `gridrl plot`
# computes from episodes.csv: one row per configuration with columns line (0, 1, ...: the
# curve it belongs to), key (the swept parameter on the x axis), x (its value, or its
# position when the values are not numbers), xtic (then the value as written, else empty),
# config, runs, STAT (the mean or the IQM of the runs' own means), ci95_low, ci95_high and
# summary (what STAT is, e.g. "mean return over the first 100 episodes"). The lines' labels,
# colours and dash patterns come from the tab-separated file `series` (series = line,
# experiment, config, label, colour, dash; default DIR/plots/sweep_series.tsv).
#
# Variables (-e "name=value; ..."):
#   dir     the results directory (required)
#   metric  'return' (default), 'length', 'value_rmse', or several separated by spaces
#   data_M  the data file of metric M (default DIR/plots/sweep_M.csv)
#   series  the lines (default DIR/plots/sweep_series.tsv)
#   stat    'mean' (default) or 'iqm': for the title
#   bands   1 (default): shade the interval; 0: lines only
#   title   the figure's title (default: none); a second line says what is drawn
#   ymin_M, ymax_M (or ymin, ymax)  the range of metric M's y axis (default: automatic)
#   term    pngcairo (default), svg or pdfcairo
#   out     the picture (default DIR/plots/sweep_METRICS.png, .svg or .pdf)

if (!exists("dir")) exit error "sweep.gp: set dir, e.g. gnuplot -e \"dir='results/x'\" sweep.gp"
if (!exists("metric")) metric = 'return'
if (!exists("series")) series = dir.'/plots/sweep_series.tsv'
if (!exists("stat")) stat = 'mean'
if (!exists("bands")) bands = 1
if (!exists("title")) title = ''
if (!exists("term")) term = 'pngcairo'
extension = term eq 'svg' ? 'svg' : term eq 'pdfcairo' ? 'pdf' : 'png'
panels = words(metric)
joined = word(metric, 1)
do for [p=2:panels] { joined = joined.'_'.word(metric, p) }
if (!exists("out")) out = sprintf('%s/plots/sweep_%s.%s', dir, joined, extension)
data_of(m) = exists('data_'.m) ? value('data_'.m) : sprintf('%s/plots/sweep_%s.csv', dir, m)

reset
set datafile nocolumnheaders
set datafile separator tab
stats series every ::1 using 1 nooutput
n_lines = STATS_records
array label[n_lines]
array colour[n_lines]
array dash[n_lines]
stats series every ::1 using (l = int($1) + 1, label[l] = strcol(4), colour[l] = strcol(5), \
      dash[l] = int($6), 0) nooutput

set datafile separator comma
set datafile columnheaders
runs = 0
fewest = 1e18
key = ''
categorical = 0
banded = 0
array has_band[n_lines * panels]
do for [k=1:n_lines * panels] { has_band[k] = 0 }
do for [p=1:panels] {
    stats data_of(word(metric, p)) using (k = (p - 1) * n_lines + int($1) + 1, key = strcol(2), \
          has_band[k] = has_band[k] || (bands && valid(8)), banded = banded || has_band[k], \
          categorical = categorical || strcol(4) ne '', $6) nooutput
    runs = STATS_max > runs ? int(STATS_max) : runs
    fewest = STATS_min < fewest ? int(STATS_min) : fewest
}
stats data_of(word(metric, 1)) using 3 nooutput
# Values spread over two or more decades (step sizes 0.001 ... 0.1) go on a log scale.
logx = !categorical && STATS_min > 0 && STATS_max >= 100 * STATS_min
xlo = STATS_min
xhi = STATS_max
# What each point is: one summary, or one per experiment (then the legend says which).
summary = ''
mixed = 0
stats data_of(word(metric, 1)) using (summary = summary eq '' ? strcol(10) : summary, \
      mixed = mixed || strcol(10) ne summary, 0) nooutput

width = 900
# Two columns of labels, or one when a label is too long for half the width.
longest = 0
do for [l=1:n_lines] { longest = strlen(label[l]) > longest ? strlen(label[l]) : longest }
key_columns = longest > 30 ? 1 : 2
legend_rows = int((n_lines + key_columns - 1) / key_columns)
panel_height = panels == 1 ? 520 : 330
height = panel_height * panels + 40 + 22 * legend_rows
# Enhanced text for the powers of ten of a log x axis; every label is noenhanced (names hold
# '_').
if (term eq 'pdfcairo') {
    eval sprintf("set terminal pdfcairo size %g,%g font ',11' enhanced", width / 72.0, height / 72.0)
} else {
    eval sprintf("set terminal %s size %d,%d font ',11' enhanced", term, width, height)
}
set output out
set encoding utf8

what = (stat eq 'iqm' ? 'interquartile mean' : 'mean') \
       .(fewest < runs ? sprintf(' over %d to %d runs per configuration', fewest, runs) \
                       : sprintf(' over %d run%s per configuration', runs, runs == 1 ? '' : 's')) \
       .(!banded ? '' : stat eq 'iqm' ? ', bootstrap 95% interval shaded' : ', 95% interval shaded')
window = strstrt(summary, ' over ') ? substr(summary, strstrt(summary, ' over ') + 1, strlen(summary)) : ''
if (panels > 1 && !mixed && window ne '') { what = what."; a run's score: its mean ".window }
heading = title eq '' ? what : title."\n".what
set grid lc rgb '#e0e0e0' lt 1
set border 3
set tics nomirror
set style fill transparent solid 0.2 noborder
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set xtics noenhanced
if (logx) {
    set logscale x
    # Every tic as a power of ten, 10^n, as the other pictures' log axes; within less than
    # three decades also 2 and 5 times them.
    set xtics enhanced
    set format x '10^{%T}'
    if (xhi / xlo < 1000) {
        do for [e=floor(log10(xlo)):ceil(log10(xhi))] {
            eval sprintf("set xtics add ('2·10^{%d}' %g, '5·10^{%d}' %g)", e, 2 * 10.0**e, e, 5 * 10.0**e)
        }
    }
}
x_name = key eq 'alpha' ? 'α (step size)' : key eq 'epsilon' ? 'ε' : key eq 'gamma' ? 'γ' : \
         key eq 'lambda' ? 'λ' : key

mine(l, x) = int($1) == l ? x : NaN
set key noenhanced
set multiplot title heading noenhanced
legend_space = (14.0 + 22.0 * legend_rows) / height
title_space = (title eq '' ? 40.0 : 58.0) / height
panel_frac = (1.0 - legend_space - title_space) / panels
do for [p=1:panels] {
    m = word(metric, p)
    data = data_of(m)
    what_m = ''
    stats data using (what_m = strcol(10), 0) nooutput
    set lmargin 11
    set rmargin 3
    set tmargin at screen 1.0 - title_space - (p - 1) * panel_frac
    set bmargin at screen 1.0 - title_space - p * panel_frac + (p == panels ? 80.0 : 45.0) / height
    # One panel: the summary says it all; several: each its metric, the window above them.
    short = m eq 'return' ? 'return' : m eq 'length' ? 'episode length' : 'value RMSE'
    set ylabel (mixed ? short.' (window as in the legend)' : panels == 1 ? what_m : short) noenhanced
    set xlabel (p == panels ? x_name : '') noenhanced
    set yrange [*:*]
    lo_name = exists('ymin_'.m) ? 'ymin_'.m : 'ymin'
    hi_name = exists('ymax_'.m) ? 'ymax_'.m : 'ymax'
    if (exists(lo_name) && exists(hi_name)) { set yrange [value(lo_name):value(hi_name)] }
    if (exists(lo_name) && !exists(hi_name)) { set yrange [value(lo_name):*] }
    if (!exists(lo_name) && exists(hi_name)) { set yrange [*:value(hi_name)] }
    if (p == panels) {
        set key at screen 0.5, legend_space - 0.01 center top horizontal maxcols key_columns \
            maxrows legend_rows
    } else {
        unset key
    }
    base = (p - 1) * n_lines
    lines = "for [l=1:n_lines] data using 3:(mine(l - 1, $7))".(categorical ? ":xtic(4)" : "") \
            ." with linespoints lw 1.5 pt 7 ps 0.8 lc rgb colour[l] dt dash[l] title label[l]"
    bandset = "for [l=1:n_lines] data using 3:(has_band[base + l] ? mine(l - 1, $8) : NaN):9 " \
              ."with filledcurves lc rgb colour[l] notitle"
    eval 'plot '.(banded ? bandset.', ' : '').lines
}
unset multiplot
