"""Whether stage 2 can lower each task's loss on held-out images: do the LoRA gradients of training images point
where those of held-out images do?

At the start of a demo stage 2 (LoRA at zero, the stage-1 heads of a finished demo run), takes the gradient of
each task's loss with respect to the LoRA for every fixed batch of one image (``visft_mm.testing.task_losses``), of
the held-out images and of the training images, and prints per task: the cosine between the training images' mean
gradient and the held-out images' (about 0: steps down the training loss leave the held-out loss where it is, to
first order), between the two halves of the training images, the mean cosine over pairs of training images, and
the gradient norms.  The README's "The demo" section quotes it:

    python tools/analysis_tools/stage2_gradient_alignment.py work_dirs/demo --data-root data/synthetic
"""
import json
import os.path as osp

from stage2_fixed_batch_losses import demo_run_arguments, load_demo  # this folder's sibling tool


def parse_args():
    parser = demo_run_arguments(__doc__)
    parser.add_argument('--train-batches', type=int, default=64, help='fixed batches of one training sample per task')
    parser.add_argument('--out', default=None, help='also write the figures as JSON here')
    return parser.parse_args()


def main():
    demo = load_demo()
    demo.pin_numerics(demo.DEMO_THREADS)  # before torch loads: the demo's numerics
    args = parse_args()
    from mmengine.registry import DefaultScope
    from mmengine.runner import set_random_seed

    from visft_mm.registry import MODELS
    from visft_mm.testing.task_losses import cosine, fixed_loss_batches, gradient_alignment, task_gradients

    cfg = demo.stage2_config_from_run(args.demo_work_dir, args.data_root, args.stage1_iters,
                                      osp.join(args.demo_work_dir, 'stage2_gradient_alignment'), 1,
                                      args.seed)
    set_random_seed(cfg.randomness.seed, deterministic=True)  # the LoRA's A is drawn at build, as in the run
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        model = MODELS.build(cfg.model)
        model.init_weights()  # the mini CLIP, the LoRA at zero, the stage-1 heads
        held_out = task_gradients(model, fixed_loss_batches(cfg, batch_size=1))
        train = task_gradients(model, fixed_loss_batches(demo.training_images_as_val(cfg), batch_size=1,
                                                         max_batches=args.train_batches))
    figures = {task: dict(gradient_alignment(train[task], held_out[task]), train_batches=len(train[task]),
                          held_out_batches=len(held_out[task])) for task in held_out}
    print('| task | cos(train mean, held-out mean) | cos(train halves) | mean cos(train pairs) | '
          '|held-out mean| | mean |train batch| |')
    print('| --- | --- | --- | --- | --- | --- |')
    for task, f in figures.items():
        print(f'| {task} | {f["train_vs_held_out"]:+.3f} | {f["train_halves"]:+.3f} | {f["train_pairs"]:+.4f} | '
              f'{f["held_out_mean_norm"]:.2e} | {f["train_batch_norm"]:.2e} |')
    tasks = list(held_out)
    print('cosine between the tasks\' held-out mean gradients: ' + ', '.join(
        f'{a} / {b} {cosine(held_out[a].mean(0), held_out[b].mean(0)):+.3f}'
        for i, a in enumerate(tasks) for b in tasks[i + 1:]))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(figures, f, indent=1)


if __name__ == '__main__':
    main()
