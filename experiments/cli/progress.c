/* The progress bar: see progress.h. */
#include "experiments/cli/progress.h"

#include <stdio.h>

/* "[#####.....] 12/40 runs  850 episodes/s  ETA 0:12" into out. */
static void put_progress(FILE *out, const rl_schedule_progress *p)
{
    char bar[31];
    size_t filled = p->total ? p->done * 30 / p->total : 30;
    for (size_t i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    fprintf(out, "[%s] %zu/%zu runs", bar, p->done, p->total);
    if (p->episodes && p->seconds > 0)
        fprintf(out, "  %.0f episodes/s", (double)p->episodes / p->seconds);
    size_t fresh = p->done - p->skipped;
    if (fresh && p->done < p->total) {
        double eta = p->seconds / (double)fresh * (double)(p->total - p->done);
        fprintf(out, "  ETA %d:%02d", (int)(eta / 60), (int)eta % 60);
    }
}

void rl_cli_draw_progress(const rl_schedule_progress *p, void *context)
{
    (void)context;
    fputc('\r', stderr);
    put_progress(stderr, p);
    fprintf(stderr, "\033[K%s", p->last ? "\n" : "");
    fflush(stderr);
}

void rl_cli_log_progress(const rl_schedule_progress *p)
{
    put_progress(stderr, p);
    fputc('\n', stderr);
    fflush(stderr);
}
