/* Whether an MPI launcher started several copies of gridrl: see ranks.h. The same with or
 * without MPI support, so a build without it can say why it cannot take part. */
#include "experiments/cli/ranks.h"

#include <stdlib.h>

/* The number of processes the launcher started, from the environment it gives them: 0 when
 * no launcher did; 2 when one did without saying how many (MPI then tells). */
static long launch_size(void)
{
    static const char *const SIZES[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", NULL};
    for (const char *const *v = SIZES; *v; v++) {
        const char *n = getenv(*v);
        if (n)
            return strtol(n, NULL, 10);
    }
    if (getenv("PMIX_RANK")) {
        const char *n = getenv("SLURM_STEP_NUM_TASKS"); /* srun --mpi=pmix */
        return n ? strtol(n, NULL, 10) : 2;
    }
    return 0;
}

bool rl_ranks_launched(void)
{
    return launch_size() > 1;
}
