from .synthetic import SyntheticCocoGenerator, SyntheticDataConfig, generate_synthetic_data

__all__ = ['SyntheticCocoGenerator', 'SyntheticDataConfig', 'generate_synthetic_data']
