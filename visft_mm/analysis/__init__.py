"""Analytic estimates for the benchmark and analysis tools (not used by training or evaluation): the FLOPs
(:mod:`.eva_flops`) and the peak memory (:mod:`.eva_memory`) of an EVA-ViT step."""
