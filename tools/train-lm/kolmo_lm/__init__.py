"""kolmo's training tool: small Llama-layout causal transformers on kolmo corpora, exported to ONNX and GGUF."""
