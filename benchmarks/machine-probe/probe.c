/* The machine's phase, for reading a benchmark taken on a shared VM: the time of one dependent load through a
 * 256 MiB random cycle (every load misses the caches and usually the TLB). On the project's 2-core VM it reads
 * 150-170 ns in the fast phases and 190-290 ns in the slow ones, where every benchmark is 1.5-2x slower.
 * Build and run: cc -O2 -o probe probe.c && ./probe */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void)
{
    size_t n = 32u * 1024 * 1024, p = 0;
    size_t *next = malloc(n * sizeof *next);
    if (next == NULL) return 1;
    for (size_t i = 0; i < n; i++) next[i] = i;
    srand(1);   /* Sattolo's shuffle: one cycle through every slot */
    for (size_t i = n - 1; i > 0; i--)
    {
        size_t j = ((size_t)rand() * RAND_MAX + (size_t)rand()) % i, t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int k = 0; k < 5000000; k++) p = next[p];
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("probe %.0f ns per dependent load (%zu)\n", ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 5e6, p % 2);
    free(next);
    return 0;
}
