# learning_curve.gp: learning curves, one line per configuration: the mean (or interquartile
# mean) over the runs of each episode's return, length or value error, with its 95% interval
# as a shaded band, as in Sutton & Barto's Figure 6.4 (cliff walking) and Zhao's Figs 7.2-7.3;
# several metrics as panels of one figure (Zhao's Fig 7.2 draws return and length); or, with
# xaxis='step', the value error or the cumulative reward per logged step (Zhao Figs 7.4-7.5,
# Sutton & Barto's Figs 8.4-8.5); or, with xaxis='update', the training loss or the value
# error per logged update (Zhao Fig 8.11); or the share of counted choices per episode
# (Sutton & Barto's Fig 6.5).
#
#   gnuplot -e "dir='results/x'" plots/learning_curve.gp
#   gnuplot -e "dir='results/x'; metric='return length'; term='svg'" plots/learning_curve.gp
#   gnuplot -e "dir='results/x'; series='results/x/plots/curves_series.tsv'; \
#               data_return='results/x/plots/curves_return.csv'" results/x/plots/learning_curve.gp
#   gnuplot -e "dir='results/x'; metric='loss'; xaxis='update'; logy=1; \
#               data_loss='results/x/plots/updates_loss.csv'" plots/learning_curve.gp
#
# Reads, for each metric M, the file data_M (default DIR/summary.csv) with the columns series
# (or config), episode (or step, or update), runs, STAT_M, ci95_low_M, ci95_high_M: `gridrl
# plot` writes PLOTS/curves_M.csv (several experiments' configurations as series, smoothed
# when asked, the IQM when asked), PLOTS/steps_value_rmse.csv and
# PLOTS/steps_cumulative_reward.csv (steps.csv summarised per logged step),
# PLOTS/updates_M.csv (updates.csv summarised per logged update) and
# PLOTS/choices_fraction.csv (choices.csv summarised per episode). The lines'
# labels, colours and dash patterns come from the tab-separated file `series` (series,
# experiment, config, label, colour, dash) that `gridrl plot` writes; without it, from
# DIR/configs.csv.
#
# Variables (-e "name=value; ..."):
#   dir     the results directory (required)
#   metric  'return' (default), 'length', 'value_rmse', (per update) 'loss', (per step)
#           'cumulative_reward', (per episode) 'fraction' (choices_fraction.csv: the share of
#           marked choices), or several separated by spaces: one panel each, one above the
#           other
#   data_M  the curves of metric M (default DIR/summary.csv)
#   series  the lines' labels and colours (default: from DIR/configs.csv)
#   stat    'mean' (default) or 'iqm': which column is the curve
#   bands   1 (default): shade the interval; 0: lines only
#   title   the figure's title (default: none); a second line says what is drawn
#   xaxis   what column 2 of data counts: 'episode' (default), 'step' or 'update'
#   smooth  the moving-average window the data was smoothed with, for the label (default 0)
#   ymin_M, ymax_M (or ymin, ymax)  the y range of metric M's panel (default: automatic)
#   logy_M (or logy)  1: a logarithmic y axis for M (values <= 0 are left out); 0: linear
#   term    pngcairo (default), svg or pdfcairo
#   out     the picture (default learning_curve_METRICS.png in the current directory, or
#           steps_METRIC.png when xaxis is 'step', updates_METRIC.png when it is 'update';
#           .svg or .pdf for those terminals)

if (!exists("dir")) exit error "learning_curve.gp: set dir, e.g. gnuplot -e \"dir='results/x'\" learning_curve.gp"
if (!exists("metric")) metric = 'return'
if (!exists("xaxis")) xaxis = 'episode'
if (!exists("smooth")) smooth = 0
if (!exists("stat")) stat = 'mean'
if (!exists("bands")) bands = 1
if (!exists("title")) title = ''
if (!exists("term")) term = 'pngcairo'
extension = term eq 'svg' ? 'svg' : term eq 'pdfcairo' ? 'pdf' : 'png'
panels = words(metric)
if (!exists("out")) {
    # Run on its own, the script draws into the current directory (gridrl plot sets out to
    # DIR/plots/...). No path is ever given to a shell.
    joined = word(metric, 1)
    do for [p=2:panels] { joined = joined.'_'.word(metric, p) }
    out = sprintf('%s_%s.%s', xaxis eq 'step' ? 'steps' : \
                  xaxis eq 'update' ? 'updates' : 'learning_curve', joined, extension)
}
data_of(m) = exists('data_'.m) ? value('data_'.m) : dir.'/summary.csv'
logy_of(m) = exists('logy_'.m) ? value('logy_'.m) : exists('logy') ? logy : 0

reset
set datafile nocolumnheaders

# The lines: id, label, colour and dash of each series.
if (exists("series")) {
    set datafile separator tab
    stats series every ::1 using 1 nooutput
    n_series = STATS_records
    array sid[n_series]
    array label[n_series]
    array colour[n_series]
    array dash[n_series]
    i = 0
    stats series every ::1 using (i = i + 1, sid[i] = int($1), label[i] = strcol(4), \
          colour[i] = strcol(5), dash[i] = int($6), 0) nooutput
} else {
    # Each configuration's label from configs.csv: "algorithm, key = value, ...", in the
    # Tableau 10 colours.
    set datafile separator comma
    stats dir.'/configs.csv' every ::0::0 using (0) nooutput
    n_columns = STATS_columns
    stats dir.'/configs.csv' every ::1 using 1 nooutput
    n_series = int(STATS_max) + 1
    array header[n_columns]
    array sid[n_series]
    array label[n_series]
    array colour[n_series]
    array dash[n_series]
    array tableau[10] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', \
                         '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
    do for [k=1:n_series] { sid[k] = k - 1; colour[k] = tableau[(k - 1) % 10 + 1]; dash[k] = 1 }
    stats dir.'/configs.csv' every ::0::0 using (sum [i=1:n_columns] (header[i] = strcol(i), 0)) nooutput
    stats dir.'/configs.csv' every ::1 using (k = int($1) + 1, label[k] = strcol(2), \
          sum [i=3:n_columns] (label[k] = label[k].', '.header[i].' = '.strcol(i), 0)) nooutput
}
max_id = 0
do for [i=1:n_series] { max_id = sid[i] > max_id ? sid[i] : max_id }

set datafile separator comma
set datafile columnheaders
# Which series have rows and bands in each panel, and how many runs: planners have no rows,
# value_rmse may be empty throughout, a configuration of one run has no interval.
array has_rows[panels * (max_id + 1)]
array has_band[panels * (max_id + 1)]
do for [k=1:panels * (max_id + 1)] { has_rows[k] = 0; has_band[k] = 0 }
runs = 0
fewest = 1e18
xmax = 0
drawn_any = 0
do for [p=1:panels] {
    m = word(metric, p)
    centre = stat.'_'.m
    low = 'ci95_low_'.m
    stats data_of(m) using (k = (p - 1) * (max_id + 1) + int($1) + 1, \
          k <= panels * (max_id + 1) ? (v = column(centre), has_rows[k] = has_rows[k] || v == v, \
          v = column(low), has_band[k] = has_band[k] || (bands && v == v)) : 0, $3) nooutput
    runs = STATS_max > runs ? int(STATS_max) : runs
    fewest = STATS_min < fewest ? int(STATS_min) : fewest
    stats data_of(m) using 2 nooutput
    xmax = STATS_max > xmax ? STATS_max : xmax
}
do for [k=1:panels * (max_id + 1)] { drawn_any = drawn_any || has_rows[k] }
if (!drawn_any) exit error sprintf("learning_curve.gp: no %s values in %s", metric, data_of(word(metric, 1)))
banded = 0
do for [k=1:panels * (max_id + 1)] { banded = banded || has_band[k] }

width = 900
# Two columns of labels, or one when a label is too long for half the width.
longest = 0
do for [i=1:n_series] { longest = strlen(label[i]) > longest ? strlen(label[i]) : longest }
key_columns = longest > 30 ? 1 : 2
legend_rows = int((n_series + key_columns - 1) / key_columns)
panel_height = panels == 1 ? 520 : 330
height = panel_height * panels + 40 + 22 * legend_rows
# Enhanced text for the powers of ten of log axes; every label is noenhanced (names hold '_').
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
heading = title eq '' ? what : title."\n".what
xname = sprintf('%s%s', xaxis, smooth > 1 ? \
                sprintf('   (moving average over %d %s)', smooth, \
                        xaxis eq 'episode' ? 'episodes' : 'logged '.xaxis.'s') : '')
name_of(m) = m eq 'return' ? 'return (sum of rewards during the episode)' : \
             m eq 'length' ? 'episode length (steps)' : \
             m eq 'loss' ? 'training loss (mean over the batch)' : \
             m eq 'cumulative_reward' ? 'cumulative reward (every reward of the run so far)' : \
             m eq 'fraction' ? 'fraction of the counted choices (choices.csv)' : \
             'RMSE of the values against the truth'
# The last x tic's label is centred on the right border: room for half of a long one.
digits = strlen(sprintf('%d', int(xmax)))
set grid lc rgb '#e0e0e0' lt 1
set border 3
set tics nomirror
set style fill transparent solid 0.2 noborder
set key noenhanced

mine(k, x) = int($1) == k ? x : NaN
set multiplot title heading noenhanced
legend_space = (14.0 + 22.0 * legend_rows) / height
title_space = (title eq '' ? 40.0 : 58.0) / height
panel_frac = (1.0 - legend_space - title_space) / panels
do for [p=1:panels] {
    m = word(metric, p)
    data = data_of(m)
    centre = stat.'_'.m
    low = 'ci95_low_'.m
    high = 'ci95_high_'.m
    logy = logy_of(m)
    set lmargin 11
    set rmargin (digits >= 4 ? (digits + 1) / 2 + 3 : 3)
    set tmargin at screen 1.0 - title_space - (p - 1) * panel_frac
    set bmargin at screen 1.0 - title_space - p * panel_frac + (p == panels ? 80.0 : 45.0) / height
    set ylabel name_of(m).(logy ? '   (log scale)' : '') noenhanced
    set xlabel (p == panels ? xname : '') noenhanced
    unset logscale y
    set ytics autofreq
    set format y '%g'
    set yrange [*:*]
    if (logy) {
        set logscale y
        # Every tic as a power of ten, 10^n; within less than three decades also 2 and 5
        # times them, written 2·10^n, since powers of ten alone are too few to read by.
        set format y '10^{%T}'
        ylo = 1e300
        yhi = 0
        keep(v) = v == v && v > 0 ? (ylo = v < ylo ? v : ylo, yhi = v > yhi ? v : yhi, 0) : 0
        stats data using (keep(column(centre)) + (bands ? keep(column(low)) + keep(column(high)) : 0)) nooutput
        if (yhi > 0 && yhi / ylo < 1000) {
            do for [e=floor(log10(ylo)):ceil(log10(yhi))] {
                eval sprintf("set ytics add ('2·10^{%d}' %g, '5·10^{%d}' %g)", e, 2 * 10.0**e, e, 5 * 10.0**e)
            }
        }
    }
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
    # (eval, not macros: a macro inside a loop is expanded before the loop runs.)
    base = (p - 1) * (max_id + 1)
    lines = "for [i=1:n_series] data using 2:(has_rows[base + sid[i] + 1] ? mine(sid[i], column(centre)) : NaN) " \
            ."with lines lw 1.5 lc rgb colour[i] dt dash[i] title (has_rows[base + sid[i] + 1] ? label[i] : '')"
    bandset = "for [i=1:n_series] data using 2:(has_band[base + sid[i] + 1] ? mine(sid[i], column(low)) : NaN):(column(high)) " \
              ."with filledcurves lc rgb colour[i] notitle"
    eval 'plot '.(banded ? bandset.', ' : '').lines
}
unset multiplot
