// Saves what the console hands over (a GDPR export, a CSV template) as a file the browser downloads:
// Blazor streams the bytes, the page turns them into a link and clicks it.
window.machConsole = {
    saveFile: async (fileName, contentType, streamReference) => {
        const blob = new Blob([await streamReference.arrayBuffer()], { type: contentType });
        const url = URL.createObjectURL(blob);
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        URL.revokeObjectURL(url);
    },
};
